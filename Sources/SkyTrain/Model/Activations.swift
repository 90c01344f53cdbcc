public import SkyTensor

/// What the training forward keeps for the backward: every layer's inputs and intermediate results.
public struct Activations: Sendable {
    /// One block's saved tensors, named after the forward's steps.
    struct Layer: Sendable {
        /// residual stream entering the block (N, C)
        let input: Tensor
        /// input_layernorm output (N, C)
        let normed1: Tensor
        /// q (N, NH·HD) and k (N, NKV·HD) after RoPE; v (N, NKV·HD)
        let q: Tensor, k: Tensor, v: Tensor
        /// attention output before o_proj (N, NH·HD)
        let attended: Tensor
        /// residual stream after the attention block (N, C)
        let middle: Tensor
        /// post_attention_layernorm output (N, C)
        let normed2: Tensor
        /// gate_proj and up_proj outputs (N, F), and silu(gate)·up (N, F)
        let gate: Tensor, up: Tensor, hidden: Tensor
        /// x̃·Aᵀ (N, r) of each adapted projection, with its dropout mask
        let lora: [LoRATarget: LoRASaved]
    }

    /// Token ids (N) of all sequences, stacked.
    let ids: [Int32]
    /// Position of each row within its sequence (N).
    let positions: [Int32]
    /// Rows of each sequence.
    let sequenceRows: [Range<Int>]
    /// Row targets after the shift (N); −100 takes no loss.
    public let targets: [Int32]
    let layers: [Layer]
    /// residual stream after the last block (N, C) and its final norm (N, C)
    let final: Tensor, finalNormed: Tensor
    /// logits (N, V)
    public let logits: Tensor
    /// Per-row cross-entropy (N), 0 on ignored rows.
    public let losses: Tensor

    /// Rows that carry loss.
    public var labelTokenCount: Int { targets.filter { $0 != LossMask.ignore }.count }
}
