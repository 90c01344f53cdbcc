extension TrainSpec {
    /// How records become token sequences.
    public struct Sequences: Sendable, Hashable, Codable {
        /// Truncation policies: `right` keeps the first maxLength tokens (Hugging Face's default side), `left`
        /// keeps the last ones (the end of the reply), `drop` skips longer samples.
        public enum Truncation: String, SpecChoice { case right, left, drop }
        /// What carries loss: `assistant` (replies and their closing `<|im_end|>`) or `all` tokens.
        public enum LossTarget: String, SpecChoice { case assistant, all }
        /// Smallest and largest `maxLength` accepted.
        public static let lengthRange = 8...131_072

        /// Most tokens per sample (default 4096).
        public var maxLength: Int
        /// What happens to longer samples (default `right`).
        public var truncation: Truncation
        /// Fill each micro-batch with whole samples up to microBatchSize × maxLength tokens instead of a fixed
        /// number of samples; each sample keeps its own positions and attends only to itself (default false).
        public var packing: Bool
        /// Which tokens carry loss (default `assistant`).
        public var lossOn: LossTarget
        /// The chat template (default `chatml`): `qwen2.5` and `sky-t1` add their default system prompts to records
        /// without one; a record's own system prompt always wins.
        public var chatTemplate: ChatTemplateName

        /// Creates the settings.
        public init(maxLength: Int = 4096, truncation: Truncation = .right, packing: Bool = false, lossOn: LossTarget = .assistant,
                    chatTemplate: ChatTemplateName = .chatml) {
            self.maxLength = maxLength
            self.truncation = truncation
            self.packing = packing
            self.lossOn = lossOn
            self.chatTemplate = chatTemplate
        }

        private enum CodingKeys: String, CodingKey { case maxLength, truncation, packing, lossOn, chatTemplate }

        /// Decodes with the defaults above.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(maxLength: try c.decodeIfPresent(Int.self, forKey: .maxLength) ?? 4096,
                      truncation: try c.decodeChoice(Truncation.self, forKey: .truncation, default: .right, in: decoder),
                      packing: try c.decodeIfPresent(Bool.self, forKey: .packing) ?? false,
                      lossOn: try c.decodeChoice(LossTarget.self, forKey: .lossOn, default: .assistant, in: decoder),
                      chatTemplate: try c.decodeChoice(ChatTemplateName.self, forKey: .chatTemplate, default: .chatml, in: decoder))
        }

        /// Problems with the settings, located under `pointer`.
        public func validate(at pointer: String) -> [SpecIssue] {
            var issues: [SpecIssue] = []
            if !Self.lengthRange.contains(maxLength) {
                issues.append(SpecIssue(pointer + "/maxLength", "must be between \(Self.lengthRange.lowerBound) and \(Self.lengthRange.upperBound)"))
            }
            return issues
        }
    }
}
