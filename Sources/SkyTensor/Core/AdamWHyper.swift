/// The numbers of one AdamW update, passed to `Backend.adamW` together.
public struct AdamWHyper: Sendable, Equatable {
    /// Learning rate of this step (after the schedule).
    public var lr: Float
    /// Decay rates of the first and second moments.
    public var beta1: Float, beta2: Float
    /// Added to √v̂ so the division never blows up.
    public var eps: Float
    /// Decoupled weight decay; 0 for parameters that must not decay (norms, biases).
    public var weightDecay: Float

    /// Hyper-parameters with PyTorch's defaults except weight decay (Hugging Face's default 0).
    public init(lr: Float, beta1: Float = 0.9, beta2: Float = 0.999, eps: Float = 1e-8, weightDecay: Float = 0) {
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.eps = eps
        self.weightDecay = weightDecay
    }
}
