/// The `perturb` job: read a dataset, apply perturbations in the listed order, write a new dataset.
///
/// The perturbations are those of Sky-T1's paper §4; SkyData implements them and documents each.
public struct PerturbSpec: JobSpec, Hashable {
    public static let kind = JobKind.perturb
    /// Input formats a spec may name; `auto` detects per record.
    public static let inputFormats: Set<String> = ["auto", "sharegpt", "messages", "promptCompletion"]
    /// Largest seed JSON carries exactly (2^53 − 1); stored specs go through doubles.
    public static let maxSeed: UInt64 = (1 << 53) - 1
    /// Output formats a spec may name.
    public static let outputFormats: Set<String> = ["sharegpt", "messages", "promptCompletion"]

    /// Where the input dataset comes from.
    public var dataset: DatasetReference
    /// Format of the input records (`auto` by default).
    public var inputFormat: String
    /// Format of the output records (`sharegpt` by default).
    public var outputFormat: String
    /// Perturbations, applied in this order to every record.
    public var perturbations: [Perturbation]
    /// Seed of every random choice; the same input, spec and seed give byte-identical output.
    public var seed: UInt64
    /// How the Thought block is split into steps.
    public var segmenter: Segmenter
    /// Drop records whose normalised question was already seen.
    public var dedupe: Bool
    /// When set, drop records whose field of this name is present and false.
    public var correctnessField: String?
    /// Skip malformed records (and count them) instead of failing the job.
    public var skipInvalid: Bool

    /// Creates a spec; defaults are those a submitted JSON without the field gets.
    public init(
        dataset: DatasetReference, inputFormat: String = "auto", outputFormat: String = "sharegpt",
        perturbations: [Perturbation] = [], seed: UInt64 = 0, segmenter: Segmenter = Segmenter(),
        dedupe: Bool = false, correctnessField: String? = nil, skipInvalid: Bool = false
    ) {
        self.dataset = dataset
        self.inputFormat = inputFormat
        self.outputFormat = outputFormat
        self.perturbations = perturbations
        self.seed = seed
        self.segmenter = segmenter
        self.dedupe = dedupe
        self.correctnessField = correctnessField
        self.skipInvalid = skipInvalid
    }

    private enum CodingKeys: String, CodingKey {
        case dataset, inputFormat, outputFormat, perturbations, seed, segmenter, dedupe, correctnessField, skipInvalid
    }

    /// Decodes with defaults for every field but `dataset`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dataset = try c.decode(DatasetReference.self, forKey: .dataset)
        inputFormat = try c.decodeIfPresent(String.self, forKey: .inputFormat) ?? "auto"
        outputFormat = try c.decodeIfPresent(String.self, forKey: .outputFormat) ?? "sharegpt"
        perturbations = try c.decodeIfPresent([Perturbation].self, forKey: .perturbations) ?? []
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
        segmenter = try c.decodeIfPresent(Segmenter.self, forKey: .segmenter) ?? Segmenter()
        dedupe = try c.decodeIfPresent(Bool.self, forKey: .dedupe) ?? false
        correctnessField = try c.decodeIfPresent(String.self, forKey: .correctnessField)
        skipInvalid = try c.decodeIfPresent(Bool.self, forKey: .skipInvalid) ?? false
    }

    public func validate() -> [SpecIssue] {
        var issues = dataset.validate(at: "/dataset", allowing: .synthetic)
        if !Self.inputFormats.contains(inputFormat) {
            issues.append(SpecIssue("/inputFormat", "unknown format '\(inputFormat)'; expected one of \(Self.inputFormats.sorted())"))
        }
        if !Self.outputFormats.contains(outputFormat) {
            issues.append(SpecIssue("/outputFormat", "unknown format '\(outputFormat)'; expected one of \(Self.outputFormats.sorted())"))
        }
        for (index, perturbation) in perturbations.enumerated() {
            issues += perturbation.validate(at: "/perturbations/\(index)")
        }
        if seed > Self.maxSeed {
            issues.append(SpecIssue("/seed", "must be at most \(Self.maxSeed) so that JSON keeps it exact"))
        }
        issues += segmenter.validate(at: "/segmenter")
        if let correctnessField, correctnessField.isEmpty {
            issues.append(SpecIssue("/correctnessField", "must not be empty"))
        }
        return issues
    }
}

extension PerturbSpec {
    /// A dataset named by exactly one of a local path, a stored artifact, or another job's output.
    public typealias DatasetReference = InputReference

    /// The six perturbations of the paper.
    public enum PerturbationKind: String, Sendable, Hashable, Codable, CaseIterable {
        case wrongAnswer = "wrong_answer"
        case corruptDigits = "corrupt_digits"
        case removeKeywords = "remove_keywords"
        case shuffle, delete, insert
    }

    /// One perturbation with its parameters.
    public struct Perturbation: Sendable, Hashable, Codable {
        /// The perturbation's name, one of `PerturbationKind`'s raw values.
        public var type: String
        /// Fraction in [0, 1]: of samples (wrong_answer, remove_keywords), numbers (corrupt_digits) or steps (structure).
        public var ratio: Double
        /// remove_keywords only: the reflection phrases to remove; nil for the default list.
        public var keywords: [String]?
        /// wrong_answer only: a dataset of wrong samples to substitute, matched by question.
        public var wrongSamples: DatasetReference?

        /// Creates a perturbation.
        public init(type: String, ratio: Double = 1, keywords: [String]? = nil, wrongSamples: DatasetReference? = nil) {
            self.type = type
            self.ratio = ratio
            self.keywords = keywords
            self.wrongSamples = wrongSamples
        }

        /// Creates a perturbation of a known kind.
        public init(_ kind: PerturbationKind, ratio: Double = 1, keywords: [String]? = nil) {
            self.init(type: kind.rawValue, ratio: ratio, keywords: keywords)
        }

        /// The kind, when `type` names one.
        public var kind: PerturbationKind? { PerturbationKind(rawValue: type) }

        private enum CodingKeys: String, CodingKey { case type, ratio, keywords, wrongSamples }

        /// Decodes with `ratio` defaulting to 1.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            type = try c.decode(String.self, forKey: .type)
            ratio = try c.decodeIfPresent(Double.self, forKey: .ratio) ?? 1
            keywords = try c.decodeIfPresent([String].self, forKey: .keywords)
            wrongSamples = try c.decodeIfPresent(DatasetReference.self, forKey: .wrongSamples)
        }

        /// Problems with the parameters, located under `pointer`.
        public func validate(at pointer: String) -> [SpecIssue] {
            guard let kind else {
                let known = PerturbationKind.allCases.map(\.rawValue)
                return [SpecIssue(pointer + "/type", "unknown perturbation '\(type)'; expected one of \(known)")]
            }
            var issues: [SpecIssue] = []
            if !(ratio >= 0 && ratio <= 1) {
                issues.append(SpecIssue(pointer + "/ratio", "must be between 0 and 1"))
            }
            if let keywords {
                if kind != .removeKeywords {
                    issues.append(SpecIssue(pointer + "/keywords", "only remove_keywords takes keywords"))
                } else if keywords.isEmpty {
                    issues.append(SpecIssue(pointer + "/keywords", "must not be empty; leave it out for the default list"))
                }
                for (index, keyword) in keywords.enumerated() where keyword.trimmingWhitespace().isEmpty {
                    issues.append(SpecIssue(pointer + "/keywords/\(index)", "must not be blank"))
                }
            }
            if let wrongSamples {
                if kind != .wrongAnswer {
                    issues.append(SpecIssue(pointer + "/wrongSamples", "only wrong_answer takes wrongSamples"))
                }
                issues += wrongSamples.validate(at: pointer + "/wrongSamples")
            }
            return issues
        }
    }

    /// How the Thought block is split into steps.
    public struct Segmenter: Sendable, Hashable, Codable {
        /// Segmenter kinds: `blankLines` (the data's convention) or `reflectionCues`.
        public static let kinds: Set<String> = ["blankLines", "reflectionCues"]
        /// Which segmenter.
        public var kind: String
        /// reflectionCues only: the cues that start a step; nil for the default list.
        public var cues: [String]?

        /// Creates a segmenter setting; the default splits on blank lines.
        public init(kind: String = "blankLines", cues: [String]? = nil) {
            self.kind = kind
            self.cues = cues
        }

        private enum CodingKeys: String, CodingKey { case kind, cues }

        /// Decodes with `kind` defaulting to `blankLines`.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? "blankLines"
            cues = try c.decodeIfPresent([String].self, forKey: .cues)
        }

        /// Problems with the setting, located under `pointer`.
        public func validate(at pointer: String) -> [SpecIssue] {
            var issues: [SpecIssue] = []
            if !Self.kinds.contains(kind) {
                issues.append(SpecIssue(pointer + "/kind", "unknown segmenter '\(kind)'; expected one of \(Self.kinds.sorted())"))
            }
            if let cues {
                if kind != "reflectionCues" {
                    issues.append(SpecIssue(pointer + "/cues", "only the reflectionCues segmenter takes cues"))
                }
                for (index, cue) in cues.enumerated() where cue.trimmingWhitespace().isEmpty {
                    issues.append(SpecIssue(pointer + "/cues/\(index)", "must not be blank"))
                }
            }
            return issues
        }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return self[first...last]
    }
}
