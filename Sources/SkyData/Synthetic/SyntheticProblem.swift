/// A counting problem: from a start digit, add the same small step a given number of times, keeping only the
/// last digit after each addition. The answer is `(start + count · step) mod 10`.
///
/// Why this task: a model that trains in a minute on two CPU cores learns a per-step table over the tokens
/// just before it within a few hundred steps, but needs thousands before it can look anything up further
/// back (BENCHMARKS.md, "The synthetic task as a learning test-bed"). Written out one addition per line, every
/// step here depends only on the line above it; answered at once, it needs the modular product
/// `count · step`, which the same model does not learn in that time. So a chain of thought is what makes
/// the problems solvable, as in the paper.
public struct SyntheticProblem: Sendable, Hashable {
    /// The steps a problem may add.
    public static let steps = 1...3
    /// The longest chain (one digit, so the countdown lines stay one token wide).
    public static let maxCount = 9

    /// The level it was drawn at.
    public var level: Int
    /// The start digit (0–9).
    public var start: Int
    /// What each repetition adds (1–3).
    public var step: Int
    /// How many additions (1–9).
    public var count: Int

    /// Creates a problem.
    public init(level: Int, start: Int, step: Int, count: Int) {
        precondition((0...9).contains(start) && Self.steps.contains(step) && (1...Self.maxCount).contains(count),
                     "start 0–9, step \(Self.steps), count 1–\(Self.maxCount)")
        self.level = level
        self.start = start
        self.step = step
        self.count = count
    }

    /// The running digits: start, then after each addition.
    public var values: [Int] {
        (0..<count).reduce(into: [start]) { values, _ in values.append((values.last! + step) % 10) }
    }

    /// The exact answer.
    public var answer: Int { (start + count * step) % 10 }

    /// The problem as a user would read it.
    public var text: String {
        "Start at \(start). Add \(step), keep the last digit, and repeat. Do it \(count) \(count == 1 ? "time" : "times")."
    }

    /// Whether the problem belongs to the benchmark side of the fixed split: training never draws it, whatever
    /// the seed, so a model cannot have memorised a benchmark answer. About a third of every level.
    public var isHeldOut: Bool {
        // FNV-1a over the three numbers: stable across runs and platforms, unlike Hasher.
        var hash: UInt32 = 2_166_136_261
        for byte in [start, step, count] { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash % 3 == 0
    }

    /// Reads a problem back from `text` (the inverse of `text`), for graders and tests.
    public init?(parsing text: String, level: Int = 0) {
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        guard words.count == 15, let start = Int(words[2].dropLast()), let step = Int(words[4].dropLast()),
              let count = Int(words[13]), (0...9).contains(start), Self.steps.contains(step), (1...Self.maxCount).contains(count)
        else { return nil }
        self.init(level: level, start: start, step: step, count: count)
        // Everything but the three numbers is fixed; comparing the whole text checks it in one go.
        guard self.text == text else { return nil }
    }
}
