extension EvalSpec {
    /// How a problem is put to the model.
    public struct Prompt: Sendable, Hashable, Codable {
        /// `sky-t1` (Sky-T1 system prompt + "Return your final response within \boxed{}."), `boxed` (that user
        /// prefix, no system prompt), `plain` (the problem alone) or `custom` (`system` and `user` below).
        public var template: Template
        /// custom only: the system turn, or nil for none.
        public var system: String?
        /// custom only: the user turn, with `{problem}` where the problem goes.
        public var user: String?
        /// The model's chat format: `chatml`, `qwen2.5` or `sky-t1`, as in TrainSpec's `sequences.chatTemplate`.
        public var chatTemplate: ChatTemplateName

        /// Templates a spec may name.
        public enum Template: String, SpecChoice {
            case skyT1 = "sky-t1"
            case boxed, plain, custom
        }

        /// Creates prompt settings.
        public init(template: Template = .skyT1, system: String? = nil, user: String? = nil, chatTemplate: ChatTemplateName = .chatml) {
            self.template = template
            self.system = system
            self.user = user
            self.chatTemplate = chatTemplate
        }

        private enum CodingKeys: String, CodingKey { case template, system, user, chatTemplate }

        /// Decodes with the defaults of `init`.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            template = try c.decodeChoice(Template.self, forKey: .template, default: .skyT1, in: decoder)
            system = try c.decodeIfPresent(String.self, forKey: .system)
            user = try c.decodeIfPresent(String.self, forKey: .user)
            chatTemplate = try c.decodeChoice(ChatTemplateName.self, forKey: .chatTemplate, default: .chatml, in: decoder)
        }

        /// Problems with the settings, located under `pointer`.
        public func validate(at pointer: String) -> [SpecIssue] {
            var issues: [SpecIssue] = []
            if template == .custom {
                if user == nil || !(user ?? "").contains("{problem}") {
                    issues.append(SpecIssue(pointer + "/user", "a custom template needs a user turn containing {problem}"))
                }
            } else if system != nil || user != nil {
                issues.append(SpecIssue(pointer + "/template", "'system' and 'user' are only read when template is 'custom'"))
            }
            return issues
        }
    }

    /// Decoding settings; the defaults are the paper's greedy evaluation.
    public struct Sampling: Sendable, Hashable, Codable {
        /// 0 decodes greedily.
        public var temperature: Double
        /// Nucleus sampling mass; 1 turns it off.
        public var topP: Double
        /// Keep only the k most likely tokens; 0 turns it off.
        public var topK: Int
        /// Tokens generated at most per sample.
        public var maxNewTokens: Int
        /// Samples per problem; pass@k is reported for every k from 1 to n.
        public var n: Int

        /// Upper bounds that keep one job within reason.
        public static let maxN = 1024, maxNewTokensLimit = 131_072

        /// Creates settings.
        public init(temperature: Double = 0, topP: Double = 1, topK: Int = 0, maxNewTokens: Int = 1024, n: Int = 1) {
            self.temperature = temperature
            self.topP = topP
            self.topK = topK
            self.maxNewTokens = maxNewTokens
            self.n = n
        }

        private enum CodingKeys: String, CodingKey { case temperature, topP, topK, maxNewTokens, n }

        /// Decodes with the defaults of `init`.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            temperature = try c.decodeIfPresent(Double.self, forKey: .temperature) ?? 0
            topP = try c.decodeIfPresent(Double.self, forKey: .topP) ?? 1
            topK = try c.decodeIfPresent(Int.self, forKey: .topK) ?? 0
            maxNewTokens = try c.decodeIfPresent(Int.self, forKey: .maxNewTokens) ?? 1024
            n = try c.decodeIfPresent(Int.self, forKey: .n) ?? 1
        }

        /// Problems with the settings, located under `pointer`.
        public func validate(at pointer: String) -> [SpecIssue] {
            var issues: [SpecIssue] = []
            if !(temperature >= 0 && temperature <= 10) { issues.append(SpecIssue(pointer + "/temperature", "must be between 0 and 10")) }
            if !(topP > 0 && topP <= 1) { issues.append(SpecIssue(pointer + "/topP", "must be above 0 and at most 1")) }
            if topK < 0 { issues.append(SpecIssue(pointer + "/topK", "must not be negative")) }
            if !(1...Self.maxNewTokensLimit).contains(maxNewTokens) {
                issues.append(SpecIssue(pointer + "/maxNewTokens", "must be between 1 and \(Self.maxNewTokensLimit)"))
            }
            if !(1...Self.maxN).contains(n) { issues.append(SpecIssue(pointer + "/n", "must be between 1 and \(Self.maxN)")) }
            return issues
        }
    }
}
