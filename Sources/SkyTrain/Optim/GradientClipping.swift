public import SkyTensor

/// Global-norm clipping as `torch.nn.utils.clip_grad_norm_`: scale every gradient by
/// min(1, maxNorm / (‖g‖ + 1e-6)).
public enum GradientClipping {
    /// Clips `grads` in place to `maxNorm` and returns the norm before clipping (what Trainer logs as grad_norm).
    @discardableResult
    public static func clip(_ grads: Tensor, maxNorm: Float, backend: any Backend) -> Float {
        let norm = Float(backend.sumOfSquares(grads).squareRoot())
        let coefficient = maxNorm / (norm + 1e-6)
        if coefficient < 1 { backend.scale(grads, by: coefficient) }
        return norm
    }
}
