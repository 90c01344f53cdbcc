public import SkyTensor

/// One Qwen2/Llama decoder block: the single definition of the transformer that inference (`CausalLM`) and training
/// (SkyTrain's `TrainingModel`) both run, so every backend is validated once for both paths.
///
/// What differs between the two is passed in: where each intermediate goes (`Outputs`: fresh tensors a training
/// backward keeps, or buffers inference reuses), how a projection is computed (`project`: the base weight plus a LoRA
/// adapter, with dropout and saved inputs when training), and which keys a query sees (`attend`: each sequence's own
/// rows when training, the KV cache when generating).
public enum DecoderBlock {
    /// Where the block writes its results; the shapes are the block's, N rows.
    public struct Outputs: Sendable {
        /// input_layernorm output (N, C)
        public let normed1: Tensor
        /// q (N, NH·HD) and k (N, NKV·HD), rotated in place; v (N, NKV·HD)
        public let q: Tensor, k: Tensor, v: Tensor
        /// attention output before o_proj (N, NH·HD)
        public let attended: Tensor
        /// residual stream after the attention block (N, C)
        public let middle: Tensor
        /// post_attention_layernorm output (N, C)
        public let normed2: Tensor
        /// gate_proj and up_proj outputs (N, F)
        public let gate: Tensor, up: Tensor
        /// silu(gate)·up (N, F); may be `gate` itself where nothing needs gate afterwards
        public let hidden: Tensor
        /// the block's output, the residual stream after the MLP (N, C); may be the input itself (nothing reads the input
        /// once `middle` is formed), never `middle`
        public let output: Tensor

        /// Outputs from their tensors.
        public init(normed1: Tensor, q: Tensor, k: Tensor, v: Tensor, attended: Tensor, middle: Tensor, normed2: Tensor, gate: Tensor,
                    up: Tensor, hidden: Tensor, output: Tensor) {
            self.normed1 = normed1
            self.q = q
            self.k = k
            self.v = v
            self.attended = attended
            self.middle = middle
            self.normed2 = normed2
            self.gate = gate
            self.up = up
            self.hidden = hidden
            self.output = output
        }

        /// Fresh zero tensors for `rows` rows of `config`.
        public static func fresh(config: ModelConfig, rows n: Int, backend: any Backend) -> Outputs {
            let c = config.hiddenSize, f = config.intermediateSize
            let qw = config.numAttentionHeads * config.headDim, kw = config.numKeyValueHeads * config.headDim
            return Outputs(normed1: backend.zeros([n, c]), q: backend.zeros([n, qw]), k: backend.zeros([n, kw]), v: backend.zeros([n, kw]),
                           attended: backend.zeros([n, qw]), middle: backend.zeros([n, c]), normed2: backend.zeros([n, c]),
                           gate: backend.zeros([n, f]), up: backend.zeros([n, f]), hidden: backend.zeros([n, f]), output: backend.zeros([n, c]))
        }
    }

    /// Runs the block on x (N, C) at `positions`: out = x + attention block, then + MLP block, into `o`.
    /// `project(module, out, input, weight, bias)` computes out = input·weightᵀ + bias (and any adapter's update);
    /// `attend(q, k, v, out)` writes attention over q, k, v (after RoPE) into out.
    public static func forward(config: ModelConfig, backend: any Backend, rotary: RotaryTable, layer w: ModelWeights.Layer,
                               input x: Tensor, positions: [Int32], into o: Outputs,
                               project: (LoRAModule, Tensor, Tensor, Tensor, Tensor?) -> Void,
                               attend: (Tensor, Tensor, Tensor, Tensor) -> Void) {
        backend.rmsNorm(o.normed1, x, weight: w.inputNorm, eps: config.rmsNormEps)
        project(.q, o.q, o.normed1, w.q, w.qBias)
        project(.k, o.k, o.normed1, w.k, w.kBias)
        project(.v, o.v, o.normed1, w.v, w.vBias)
        backend.rope(o.q, o.q, positions: positions, cos: rotary.cos, sin: rotary.sin, headDim: config.headDim)
        backend.rope(o.k, o.k, positions: positions, cos: rotary.cos, sin: rotary.sin, headDim: config.headDim)
        attend(o.q, o.k, o.v, o.attended)
        project(.o, o.middle, o.attended, w.o, nil)
        backend.add(o.middle, o.middle, x)
        backend.rmsNorm(o.normed2, o.middle, weight: w.postNorm, eps: config.rmsNormEps)
        project(.gate, o.gate, o.normed2, w.gate, nil)
        project(.up, o.up, o.normed2, w.up, nil)
        backend.swiglu(o.hidden, gate: o.gate, up: o.up)
        project(.down, o.output, o.hidden, w.down, nil)
        backend.add(o.output, o.output, o.middle)
    }
}
