public import SkyModel

/// What PEFT's `LoraConfig` says about an adapter: rank, alpha, dropout, targets and the scaling rule.
public struct LoRAConfig: Sendable, Equatable {
    /// Rank r of each update B·A.
    public var rank: Int
    /// lora_alpha.
    public var alpha: Float
    /// Dropout on the adapter's input during training (0 in the paper's runs).
    public var dropout: Float
    /// Which projections get adapters.
    public var targets: Set<LoRATarget>
    /// rsLoRA: scale by alpha/√r instead of alpha/r.
    public var useRSLoRA: Bool

    /// An adapter config; the defaults are the paper's LoRA runs (alpha = 2·rank, all linear layers).
    public init(rank: Int, alpha: Float? = nil, dropout: Float = 0, targets: Set<LoRATarget> = Set(LoRATarget.allCases),
                useRSLoRA: Bool = false) {
        precondition(rank > 0, "LoRA rank must be positive, got \(rank)")
        precondition((0..<1).contains(dropout), "LoRA dropout must be in [0, 1), got \(dropout)")
        self.rank = rank
        self.alpha = alpha ?? Float(2 * rank)
        self.dropout = dropout
        self.targets = targets
        self.useRSLoRA = useRSLoRA
    }

    /// The factor on B·A·x: alpha/r, or alpha/√r with rsLoRA (PEFT's `scaling`).
    public var scaling: Float {
        useRSLoRA ? alpha / Float(rank).squareRoot() : alpha / Float(rank)
    }
}
