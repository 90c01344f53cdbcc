public import SkyTensor
import SkyModel

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

    /// With gradient checkpointing, what recomputing one layer needs: its input and the dropout generator.
    struct Checkpoint: Sendable {
        /// residual stream entering the block (N, C)
        let input: Tensor
        /// The LoRA dropout generator as the forward reached the block (nil: no dropout).
        let dropout: SeededGenerator?
    }

    /// Token ids (N) of all sequences, stacked.
    let ids: [Int32]
    /// Row positions and sequence boundaries.
    let context: LayerContext
    /// Row targets after the shift (N); −100 takes no loss.
    public let targets: [Int32]
    /// Every layer's saved tensors; empty with gradient checkpointing.
    let layers: [Layer]
    /// Every layer's checkpoint; empty without gradient checkpointing.
    let checkpoints: [Checkpoint]
    /// residual stream after the last block (N, C) and its final norm (N, C)
    let final: Tensor, finalNormed: Tensor
    /// logits (N, V)
    public let logits: Tensor
    /// Per-row cross-entropy (N), 0 on ignored rows.
    public let losses: Tensor

    /// Rows that carry loss.
    public var labelTokenCount: Int { targets.filter { $0 != LossMask.ignore }.count }
}
