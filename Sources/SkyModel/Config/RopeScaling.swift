/// Llama 3's frequency-dependent RoPE scaling (`rope_type: "llama3"`).
public struct Llama3RopeScaling: Sendable, Equatable {
    /// How much low frequencies are stretched.
    public var factor: Double
    /// Wavelengths longer than original/low_freq_factor are fully scaled.
    public var lowFreqFactor: Double
    /// Wavelengths shorter than original/high_freq_factor are left alone.
    public var highFreqFactor: Double
    /// The context length the model was pre-trained with.
    public var originalMaxPositionEmbeddings: Double

    /// A scaling with the given parameters.
    public init(factor: Double, lowFreqFactor: Double, highFreqFactor: Double, originalMaxPositionEmbeddings: Double) {
        self.factor = factor
        self.lowFreqFactor = lowFreqFactor
        self.highFreqFactor = highFreqFactor
        self.originalMaxPositionEmbeddings = originalMaxPositionEmbeddings
    }

    /// Applies the scaling to inverse frequencies, in float32 as transformers' `_compute_llama3_parameters` does.
    public func scale(_ inverseFrequencies: [Float]) -> [Float] {
        let factor = Float(factor), low = Float(lowFreqFactor), high = Float(highFreqFactor)
        let original = Float(originalMaxPositionEmbeddings)
        let lowWavelength = original / low, highWavelength = original / high
        return inverseFrequencies.map { f in
            let wavelength = 2 * Float.pi / f
            if wavelength < highWavelength { return f }
            if wavelength > lowWavelength { return f / factor }
            let smooth = (original / wavelength - low) / (high - low)
            return (1 - smooth) * f / factor + smooth * f
        }
    }
}
