extension TrainSpec {
    /// PEFT's `LoraConfig` fields a run can set.
    public struct LoRASettings: Sendable, Hashable, Codable {
        /// Projections PEFT's `target_modules` may name.
        public static let modules = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
        /// Largest rank accepted.
        public static let maxRank = 1024

        /// Rank of each update B·A (default 64, the paper's).
        public var r: Int
        /// lora_alpha (default 2·r).
        public var alpha: Double
        /// Dropout on the adapter input, in [0, 1) (default 0).
        public var dropout: Double
        /// Adapted projections (default all seven linear layers).
        public var targetModules: [String]
        /// rsLoRA scaling alpha/√r instead of alpha/r (default false).
        public var useRslora: Bool

        /// Creates settings; alpha defaults to 2·r.
        public init(r: Int = 64, alpha: Double? = nil, dropout: Double = 0, targetModules: [String] = LoRASettings.modules,
                    useRslora: Bool = false) {
            self.r = r
            self.alpha = alpha ?? Double(2 * r)
            self.dropout = dropout
            self.targetModules = targetModules
            self.useRslora = useRslora
        }

        private enum CodingKeys: String, CodingKey { case r, alpha, dropout, targetModules, useRslora }

        /// Decodes with the defaults above.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(r: try c.decodeIfPresent(Int.self, forKey: .r) ?? 64, alpha: try c.decodeIfPresent(Double.self, forKey: .alpha),
                      dropout: try c.decodeIfPresent(Double.self, forKey: .dropout) ?? 0,
                      targetModules: try c.decodeIfPresent([String].self, forKey: .targetModules) ?? Self.modules,
                      useRslora: try c.decodeIfPresent(Bool.self, forKey: .useRslora) ?? false)
        }

        /// Problems with the settings, located under `pointer`.
        public func validate(at pointer: String) -> [SpecIssue] {
            var issues: [SpecIssue] = []
            if !(1...Self.maxRank).contains(r) { issues.append(SpecIssue(pointer + "/r", "must be between 1 and \(Self.maxRank)")) }
            if !(alpha > 0 && alpha.isFinite) { issues.append(SpecIssue(pointer + "/alpha", "must be a positive number")) }
            if !(dropout >= 0 && dropout < 1) { issues.append(SpecIssue(pointer + "/dropout", "must be at least 0 and below 1")) }
            if targetModules.isEmpty { issues.append(SpecIssue(pointer + "/targetModules", "must name at least one projection")) }
            var seen = Set<String>()
            for (index, module) in targetModules.enumerated() {
                if !Self.modules.contains(module) {
                    issues.append(SpecIssue(pointer + "/targetModules/\(index)", "unknown module '\(module)'; expected one of \(Self.modules)"))
                } else if !seen.insert(module).inserted {
                    issues.append(SpecIssue(pointer + "/targetModules/\(index)", "'\(module)' is listed twice"))
                }
            }
            return issues
        }
    }
}
