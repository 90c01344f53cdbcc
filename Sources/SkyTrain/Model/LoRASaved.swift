import SkyModel
import SkyTensor

/// What one adapted projection keeps for the backward.
struct LoRASaved: Sendable {
    /// h = x̃·Aᵀ (N, r)
    let hidden: Tensor
    /// With dropout: the kept-and-rescaled mask (N, IN) and the dropped input x̃ = x · mask (N, IN).
    let mask: Tensor?, dropped: Tensor?

    /// Buffers for `rows` rows of a projection with `input` features; when dropping, a mask the backend draws from a seed
    /// taken from `rng` (PEFT's `nn.Dropout`: keep with probability 1 − p, kept values scaled by 1/(1 − p)), so a GPU
    /// makes it in place and every backend makes the same one.
    init(rows: Int, input: Int, rank: Int, dropout: Float, rng: inout SeededGenerator?, backend: any Backend) {
        hidden = backend.zeros([rows, rank])
        guard dropout > 0, rng != nil else {
            mask = nil
            dropped = nil
            return
        }
        let mask = backend.zeros([rows, input])
        backend.dropoutMask(mask, probability: dropout, seed: rng!.next())
        self.mask = mask
        dropped = backend.zeros([rows, input])
    }
}
