import Foundation

/// Learning-rate schedules with Hugging Face's formulas (`transformers.get_scheduler`), as a multiplier of
/// the peak rate for each optimizer step.
public struct LRSchedule: Sendable, Equatable {
    /// The shape after warmup.
    public enum Kind: String, Sendable {
        /// `constant` / `constant_with_warmup`: the peak rate after warmup.
        case constant
        /// `linear`: from the peak down to 0 at the last step.
        case linear
        /// `cosine`: half a cosine from the peak down to 0.
        case cosine
    }

    /// How warmup is given: a number of steps, or a fraction of all steps (`warmup_ratio`).
    public enum Warmup: Sendable, Equatable {
        /// `warmup_steps`.
        case steps(Int)
        /// `warmup_ratio`: ceil(ratio · total steps), as the Trainer's `get_warmup_steps`.
        case ratio(Double)
    }

    /// The decay shape.
    public var kind: Kind
    /// Optimizer steps in the whole run.
    public var totalSteps: Int
    /// Steps of linear warmup from 0.
    public let warmupSteps: Int

    /// A schedule over `totalSteps` optimizer steps.
    public init(_ kind: Kind, totalSteps: Int, warmup: Warmup = .steps(0)) {
        self.kind = kind
        self.totalSteps = totalSteps
        switch warmup {
        case let .steps(n): warmupSteps = max(0, n)
        case let .ratio(r): warmupSteps = Int((Double(totalSteps) * r).rounded(.up))
        }
    }

    /// The multiplier for the optimizer step that follows `step` earlier ones (0 for the first step, as
    /// PyTorch's LambdaLR evaluates it before any `scheduler.step()`).
    public func multiplier(step: Int) -> Double {
        if step < warmupSteps { return Double(step) / Double(max(1, warmupSteps)) }
        let progress = Double(step - warmupSteps) / Double(max(1, totalSteps - warmupSteps))
        switch kind {
        case .constant: return 1
        case .linear: return max(0, Double(totalSteps - step) / Double(max(1, totalSteps - warmupSteps)))
        case .cosine: return max(0, 0.5 * (1 + Foundation.cos(Double.pi * 2 * 0.5 * progress)))
        }
    }
}
