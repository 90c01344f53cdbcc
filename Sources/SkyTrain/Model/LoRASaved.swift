import SkyModel
import SkyTensor

/// What one adapted projection keeps for the backward.
struct LoRASaved: Sendable {
    /// h = x̃·Aᵀ (N, r)
    let hidden: Tensor
    /// With dropout: the kept-and-rescaled mask (N, IN) and the dropped input x̃ = x · mask (N, IN).
    let mask: Tensor?, dropped: Tensor?

    /// Buffers for `rows` rows of a projection with `input` features; a mask drawn from `rng` when dropping
    /// (PEFT's `nn.Dropout`: keep with probability 1 − p, kept values scaled by 1/(1 − p)).
    init(rows: Int, input: Int, rank: Int, dropout: Float, rng: inout SeededGenerator?, backend: any Backend) {
        hidden = backend.zeros([rows, rank])
        guard dropout > 0, rng != nil else {
            mask = nil
            dropped = nil
            return
        }
        let keep = 1 / (1 - dropout)
        let values = (0..<(rows * input)).map { _ in Float(rng!.next() >> 40) * 0x1p-24 < dropout ? 0 : keep }
        mask = backend.tensor(values, shape: [rows, input])
        dropped = backend.zeros([rows, input])
    }
}
