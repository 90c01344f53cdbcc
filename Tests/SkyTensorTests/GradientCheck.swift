import Foundation

/// Central differences of a scalar loss L = Σ dout · f(inputs), computed in Float64 from a naive reference
/// forward, so the numerical gradient is exact to ~1e-9 and any disagreement is the float32 backward's.
enum GradientCheck {
    /// ∂L/∂inputs[index] by central differences with step `h`.
    static func numerical(_ inputs: [[Double]], wrt index: Int, dout: [Double], h: Double = 1e-5,
                          _ f: ([[Double]]) -> [Double]) -> [Double] {
        var x = inputs
        return (0..<inputs[index].count).map { i in
            let saved = x[index][i]
            x[index][i] = saved + h
            let plus = zip(dout, f(x)).reduce(0) { $0 + $1.0 * $1.1 }
            x[index][i] = saved - h
            let minus = zip(dout, f(x)).reduce(0) { $0 + $1.0 * $1.1 }
            x[index][i] = saved
            return (plus - minus) / (2 * h)
        }
    }

    /// Largest |analytic − numerical| divided by the largest |numerical| (at least 1e-3, so an all-zero
    /// gradient is still checked absolutely).
    static func relativeError(_ analytic: [Float], _ numerical: [Double]) -> Double {
        precondition(analytic.count == numerical.count, "\(analytic.count) vs \(numerical.count) gradients")
        let scale = max(1e-3, numerical.map(abs).max() ?? 0)
        return zip(analytic, numerical).map { abs(Double($0) - $1) }.max().map { $0 / scale } ?? 0
    }

    /// The tolerance every op test uses: float32 backward kernels land within ~1e-6 of the truth, while a
    /// wrong transpose, a dropped term or a wrong sign is off by 1e-2 to 1 (see `GradientCheckSensitivityTests`).
    static let tolerance = 1e-4

    /// Gradient buffers start from these values so every test also checks that backward adds (+=).
    static func prior(_ count: Int, seed: UInt64) -> [Float] { NaiveReference.random(count, seed: seed) }

    /// What backward added on top of the prior.
    static func added(_ after: [Float], _ prior: [Float]) -> [Float] { zip(after, prior).map { $0 - $1 } }

    static func double(_ x: [Float]) -> [Double] { x.map(Double.init) }
}
