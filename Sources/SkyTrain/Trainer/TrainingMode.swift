/// What a run trains.
public enum TrainingMode: Sendable, Equatable {
    /// Every weight of the model (full SFT).
    case full
    /// LoRA adapters over frozen weights.
    case lora(LoRAConfig)
}
