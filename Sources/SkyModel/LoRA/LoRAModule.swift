/// A projection of a decoder layer that a LoRA adapter can target, named as PEFT's `target_modules` names it.
public enum LoRAModule: String, Sendable, CaseIterable, Hashable {
    case q = "q_proj", k = "k_proj", v = "v_proj", o = "o_proj"
    case gate = "gate_proj", up = "up_proj", down = "down_proj"

    /// The module path inside a decoder layer ("self_attn.q_proj").
    public var modulePath: String {
        switch self {
        case .q, .k, .v, .o: "self_attn.\(rawValue)"
        case .gate, .up, .down: "mlp.\(rawValue)"
        }
    }

    /// (in, out) features of the projection in a model with `config`.
    public func dimensions(config: ModelConfig) -> (input: Int, output: Int) {
        let c = config.hiddenSize, f = config.intermediateSize
        let q = config.numAttentionHeads * config.headDim, kv = config.numKeyValueHeads * config.headDim
        switch self {
        case .q: return (c, q)
        case .k, .v: return (c, kv)
        case .o: return (q, c)
        case .gate, .up: return (c, f)
        case .down: return (f, c)
        }
    }

    /// PEFT's key prefix for this projection in `layer`, up to and including the final dot.
    public func peftPrefix(layer: Int) -> String {
        "base_model.model.model.layers.\(layer).\(modulePath)."
    }
}
