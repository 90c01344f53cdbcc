extension TrainSpec {
    /// AdamW, the learning-rate schedule, clipping and batching, as Hugging Face's `TrainingArguments` names them.
    public struct Optimization: Sendable, Hashable, Encodable {
        /// Schedules a spec may name (Hugging Face's formulas).
        public enum Scheduler: String, SpecChoice { case constant, linear, cosine }
        /// Upper bounds that catch typos before a worker spends hours on them.
        public static let maxEpochs = 1000, maxSteps = 10_000_000, maxMicroBatchSize = 1024, maxAccumulation = 10_000

        /// Peak learning rate (default 1e-4 for LoRA, 1e-5 for full fine-tuning).
        public var learningRate: Double
        /// `constant`, `linear` or `cosine` (default `cosine`).
        public var lrScheduler: Scheduler
        /// Warmup as a fraction of all steps, rounded up (default 0.1 unless `warmupSteps` is given).
        public var warmupRatio: Double?
        /// Warmup in optimizer steps; excludes `warmupRatio`.
        public var warmupSteps: Int?
        /// Decoupled weight decay, not applied to norms and biases (default 0).
        public var weightDecay: Double
        /// AdamW's β1 and β2 (default [0.9, 0.999]).
        public var betas: [Double]
        /// AdamW's ε (default 1e-8).
        public var eps: Double
        /// Global gradient-norm clip; 0 turns clipping off (default 1).
        public var maxGradNorm: Double
        /// Passes over the training records (default 3); ignored when `maxSteps` is set.
        public var epochs: Int
        /// Optimizer steps to take, cycling through epochs as needed; overrides `epochs`.
        public var maxSteps: Int?
        /// Samples per forward pass (default 1, as the paper's per-device batch).
        public var microBatchSize: Int
        /// Micro-batches per optimizer step; the loss is normalised over all of their label tokens (default 1).
        public var gradientAccumulationSteps: Int
        /// Recompute each layer's activations in the backward instead of keeping them: less memory, about a
        /// third more compute (default false).
        public var gradientCheckpointing: Bool

        /// The defaults for `mode`.
        public init(mode: Mode) {
            learningRate = mode == .lora ? 1e-4 : 1e-5
            lrScheduler = .cosine
            warmupRatio = 0.1
            warmupSteps = nil
            weightDecay = 0
            betas = [0.9, 0.999]
            eps = 1e-8
            maxGradNorm = 1
            epochs = 3
            maxSteps = nil
            microBatchSize = 1
            gradientAccumulationSteps = 1
            gradientCheckpointing = false
        }

        private enum CodingKeys: String, CodingKey {
            case learningRate, lrScheduler, warmupRatio, warmupSteps, weightDecay, betas, eps, maxGradNorm, epochs, maxSteps
            case microBatchSize, gradientAccumulationSteps, gradientCheckpointing
        }

        /// Decodes with the defaults of `mode` for every missing field.
        public init(from decoder: any Decoder, mode: Mode) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(mode: mode)
            learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? learningRate
            lrScheduler = try c.decodeChoice(Scheduler.self, forKey: .lrScheduler, default: lrScheduler, in: decoder)
            warmupSteps = try c.decodeIfPresent(Int.self, forKey: .warmupSteps)
            warmupRatio = try c.decodeIfPresent(Double.self, forKey: .warmupRatio) ?? (warmupSteps == nil ? warmupRatio : nil)
            weightDecay = try c.decodeIfPresent(Double.self, forKey: .weightDecay) ?? weightDecay
            betas = try c.decodeIfPresent([Double].self, forKey: .betas) ?? betas
            eps = try c.decodeIfPresent(Double.self, forKey: .eps) ?? eps
            maxGradNorm = try c.decodeIfPresent(Double.self, forKey: .maxGradNorm) ?? maxGradNorm
            epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? epochs
            maxSteps = try c.decodeIfPresent(Int.self, forKey: .maxSteps)
            microBatchSize = try c.decodeIfPresent(Int.self, forKey: .microBatchSize) ?? microBatchSize
            gradientAccumulationSteps = try c.decodeIfPresent(Int.self, forKey: .gradientAccumulationSteps) ?? gradientAccumulationSteps
            gradientCheckpointing = try c.decodeIfPresent(Bool.self, forKey: .gradientCheckpointing) ?? gradientCheckpointing
        }

        /// Problems with the settings, located under `pointer`.
        public func validate(at pointer: String) -> [SpecIssue] {
            var issues: [SpecIssue] = []
            func check(_ ok: Bool, _ key: String, _ message: String) {
                if !ok { issues.append(SpecIssue(pointer + "/" + key, message)) }
            }
            check(learningRate > 0 && learningRate <= 1, "learningRate", "must be above 0 and at most 1")
            if warmupRatio != nil && warmupSteps != nil {
                issues.append(SpecIssue(pointer + "/warmupSteps", "give warmupRatio or warmupSteps, not both"))
            }
            if let warmupRatio { check(warmupRatio >= 0 && warmupRatio <= 1, "warmupRatio", "must be between 0 and 1") }
            if let warmupSteps { check(warmupSteps >= 0, "warmupSteps", "must not be negative") }
            check(weightDecay >= 0 && weightDecay.isFinite, "weightDecay", "must not be negative")
            if betas.count != 2 {
                issues.append(SpecIssue(pointer + "/betas", "must be two numbers [beta1, beta2]"))
            } else {
                for (index, beta) in betas.enumerated() {
                    check(beta >= 0 && beta < 1, "betas/\(index)", "must be at least 0 and below 1")
                }
            }
            check(eps > 0 && eps.isFinite, "eps", "must be a positive number")
            check(maxGradNorm >= 0 && maxGradNorm.isFinite, "maxGradNorm", "must not be negative (0 turns clipping off)")
            check((1...Self.maxEpochs).contains(epochs), "epochs", "must be between 1 and \(Self.maxEpochs)")
            if let maxSteps { check((1...Self.maxSteps).contains(maxSteps), "maxSteps", "must be between 1 and \(Self.maxSteps)") }
            check((1...Self.maxMicroBatchSize).contains(microBatchSize), "microBatchSize", "must be between 1 and \(Self.maxMicroBatchSize)")
            check((1...Self.maxAccumulation).contains(gradientAccumulationSteps), "gradientAccumulationSteps",
                  "must be between 1 and \(Self.maxAccumulation)")
            return issues
        }
    }
}
