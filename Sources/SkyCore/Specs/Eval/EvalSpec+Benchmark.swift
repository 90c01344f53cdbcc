extension EvalSpec {
    /// Where a benchmark's problems come from: a JSONL file (path, artifact or job output) or a built-in set.
    public struct BenchmarkSource: Sendable, Hashable, Codable {
        /// The benchmark's name in results and leaderboards (e.g. `math500`, `aime24`, `synthetic`).
        public var name: String
        /// The JSONL file; exactly one of `data` and `builtin`.
        public var data: InputReference?
        /// Field layout of `data`: `auto` detects it from the first record.
        public var format: String
        /// A benchmark Sky generates itself.
        public var builtin: Builtin?
        /// Evaluate only the first `limit` problems (smoke runs); nil for all.
        public var limit: Int?

        /// Layouts a file may be in; SkyEval documents the fields of each.
        public static let formats: Set<String> = ["auto", "sky", "aime2024", "amc2023", "math500", "olympiadbench", "livecodebench"]
        /// Allowed characters in a name, which leaderboards and URLs show as is.
        static let nameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")

        /// Creates a source; give `data` or `builtin`.
        public init(name: String, data: InputReference? = nil, format: String = "auto", builtin: Builtin? = nil, limit: Int? = nil) {
            self.name = name
            self.data = data
            self.format = format
            self.builtin = builtin
            self.limit = limit
        }

        private enum CodingKeys: String, CodingKey { case name, data, format, builtin, limit }

        /// Decodes with `format` defaulting to `auto`.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            data = try c.decodeIfPresent(InputReference.self, forKey: .data)
            format = try c.decodeIfPresent(String.self, forKey: .format) ?? "auto"
            builtin = try c.decodeIfPresent(Builtin.self, forKey: .builtin)
            limit = try c.decodeIfPresent(Int.self, forKey: .limit)
        }

        /// Problems with the source, located under `pointer`.
        public func validate(at pointer: String) -> [SpecIssue] {
            var issues: [SpecIssue] = []
            if name.isEmpty || name.count > 64 || !name.allSatisfy(Self.nameCharacters.contains) {
                issues.append(SpecIssue(pointer + "/name", "must be 1 to 64 letters, digits, '-', '_' or '.'"))
            }
            switch (data, builtin) {
            case (let data?, nil): issues += data.validate(at: pointer + "/data")
            case (nil, let builtin?): issues += builtin.validate(at: pointer + "/builtin")
            default: issues.append(SpecIssue(pointer, "give exactly one of 'data' or 'builtin'"))
            }
            if !Self.formats.contains(format) {
                issues.append(SpecIssue(pointer + "/format", "unknown format '\(format)'; expected one of \(Self.formats.sorted())"))
            }
            if let limit, limit < 1 { issues.append(SpecIssue(pointer + "/limit", "must be at least 1")) }
            return issues
        }
    }

    /// The synthetic counting benchmark of `skyctl data synth` (its held-out problems), regenerated from its seed.
    public struct Builtin: Sendable, Hashable, Codable {
        /// Only `synthetic` exists.
        public var task: String
        /// The generator seed the training data was made with.
        public var seed: UInt64
        /// Problems per difficulty level (each level holds about 20).
        public var perLevel: Int

        /// Tasks a spec may name.
        public static let tasks: Set<String> = ["synthetic"]
        /// Upper bound on `perLevel`.
        public static let maxCount = 1_000_000

        /// Creates a built-in source.
        public init(task: String = "synthetic", seed: UInt64 = 0, perLevel: Int = 20) {
            self.task = task
            self.seed = seed
            self.perLevel = perLevel
        }

        private enum CodingKeys: String, CodingKey { case task, seed, perLevel }

        /// Decodes with the defaults of `init`. Specs stored before the held-out split carry a `trainCount`, which
        /// is ignored: no training draw returns a benchmark problem, whatever the count.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            task = try c.decodeIfPresent(String.self, forKey: .task) ?? "synthetic"
            seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
            perLevel = try c.decodeIfPresent(Int.self, forKey: .perLevel) ?? 20
        }

        /// Problems with the settings, located under `pointer`.
        public func validate(at pointer: String) -> [SpecIssue] {
            var issues: [SpecIssue] = []
            if !Self.tasks.contains(task) {
                issues.append(SpecIssue(pointer + "/task", "unknown task '\(task)'; expected one of \(Self.tasks.sorted())"))
            }
            if seed > PerturbSpec.maxSeed { issues.append(SpecIssue(pointer + "/seed", "must be at most \(PerturbSpec.maxSeed)")) }
            if !(1...Self.maxCount).contains(perLevel) { issues.append(SpecIssue(pointer + "/perLevel", "must be between 1 and \(Self.maxCount)")) }
            return issues
        }
    }
}
