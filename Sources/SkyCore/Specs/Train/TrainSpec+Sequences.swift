extension TrainSpec {
    /// How records become token sequences.
    public struct Sequences: Sendable, Hashable, Codable {
        /// Truncation policies: `right` keeps the first maxLength tokens (Hugging Face's default side), `left`
        /// keeps the last ones (the end of the reply), `drop` skips longer samples.
        public static let truncations: Set<String> = ["right", "left", "drop"]
        /// What carries loss: `assistant` (replies and their closing `<|im_end|>`) or `all` tokens.
        public static let lossTargets: Set<String> = ["assistant", "all"]
        /// Chat templates: `chatml` (no default system prompt), `qwen2.5` and `sky-t1` (their default system
        /// prompts for records without one; a record's own system prompt always wins).
        public static let chatTemplates: Set<String> = ["chatml", "qwen2.5", "sky-t1"]
        /// Smallest and largest `maxLength` accepted.
        public static let lengthRange = 8...131_072

        /// Most tokens per sample (default 4096).
        public var maxLength: Int
        /// What happens to longer samples (default `right`).
        public var truncation: String
        /// Fill each micro-batch with whole samples up to microBatchSize × maxLength tokens instead of a fixed
        /// number of samples; each sample keeps its own positions and attends only to itself (default false).
        public var packing: Bool
        /// Which tokens carry loss (default `assistant`).
        public var lossOn: String
        /// The chat template (default `chatml`).
        public var chatTemplate: String

        /// Creates the settings.
        public init(maxLength: Int = 4096, truncation: String = "right", packing: Bool = false, lossOn: String = "assistant",
                    chatTemplate: String = "chatml") {
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
                      truncation: try c.decodeIfPresent(String.self, forKey: .truncation) ?? "right",
                      packing: try c.decodeIfPresent(Bool.self, forKey: .packing) ?? false,
                      lossOn: try c.decodeIfPresent(String.self, forKey: .lossOn) ?? "assistant",
                      chatTemplate: try c.decodeIfPresent(String.self, forKey: .chatTemplate) ?? "chatml")
        }

        /// Problems with the settings, located under `pointer`.
        public func validate(at pointer: String) -> [SpecIssue] {
            var issues: [SpecIssue] = []
            if !Self.lengthRange.contains(maxLength) {
                issues.append(SpecIssue(pointer + "/maxLength", "must be between \(Self.lengthRange.lowerBound) and \(Self.lengthRange.upperBound)"))
            }
            for (key, value, allowed) in [("truncation", truncation, Self.truncations), ("lossOn", lossOn, Self.lossTargets),
                                          ("chatTemplate", chatTemplate, Self.chatTemplates)] where !allowed.contains(value) {
                issues.append(SpecIssue(pointer + "/" + key, "unknown value '\(value)'; expected one of \(allowed.sorted())"))
            }
            return issues
        }
    }
}
