public import SkyModel

/// A projection LoRA can adapt: SkyModel's `LoRAModule`, the same names, shapes and PEFT keys the runtime loads
/// adapters by, so what the trainer writes and what the evaluator reads cannot drift apart.
public typealias LoRATarget = LoRAModule
