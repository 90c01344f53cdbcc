/// Generated {gold, prediction} pairs with known verdicts, for measuring grading throughput on a mix that
/// exercises every rule (model outputs with a boxed answer after a few KB of reasoning, fractions, percents,
/// intervals, sets, matrices, polynomials) and for checking that the grader agrees with every label.
public struct GradingWorkload: Sendable {
    /// One generated pair and the verdict it should get.
    public struct Pair: Sendable {
        /// The gold answer.
        public var gold: String
        /// A whole model output ending in an answer.
        public var prediction: String
        /// Whether the prediction is equivalent to the gold answer by construction.
        public var expected: Bool
    }

    /// The pairs, in generation order.
    public let pairs: [Pair]

    /// `count` pairs from `seed`; half are equivalent, and the kinds of answer rotate.
    public init(count: Int, seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        pairs = (0..<count).map { index in Self.pair(kind: index % Self.kinds, correct: index % 2 == 0, using: &generator) }
    }

    /// Characters of prediction text in all pairs.
    public var predictionCharacters: Int { pairs.reduce(0) { $0 + $1.prediction.count } }

    static let kinds = 9

    static func pair(kind: Int, correct: Bool, using generator: inout SplitMix64) -> Pair {
        let a = Int.random(in: 2...99, using: &generator)
        let b = Int.random(in: 2...99, using: &generator)
        let wrong = correct ? 0 : 1
        let (gold, answer): (String, String)
        switch kind {
        case 0: (gold, answer) = ("\(a * b)", "\(a * b + wrong)")
        case 1: (gold, answer) = ("\\frac{\(a)}{\(a + b)}", String(Double(a) / Double(a + b + wrong)))
        case 2: (gold, answer) = ("\(a * 100_003)", formatThousands((a + wrong) * 100_003))
        case 3: (gold, answer) = ("(x+\(a))(x-\(b))", "x^2 + \(a - b + wrong)x - \(a * b)")
        case 4: (gold, answer) = ("[\(a), \(a + b))", correct ? "\\left[ \(a),\(a + b) \\right)" : "[\(a), \(a + b)]")
        case 5: (gold, answer) = ("\(a)\\%", "\(Double(a + wrong) / 100)")
        case 6: (gold, answer) = ("\\{\(a), \(b), \(a + b)\\}", "\\{\(a + b), \(b), \(a + wrong * 2)\\}")
        case 7: (gold, answer) = ("\\begin{pmatrix}\(a)&\(b)\\\\0&1\\end{pmatrix}", "\\begin{pmatrix} \(a) & \(b + wrong) \\\\ 0 & 1 \\end{pmatrix}")
        default: (gold, answer) = ("\\frac{\\sqrt{\(a)}}{2}", "\\frac{\(a)}{2\\sqrt{\(a + wrong)}}")
        }
        return Pair(gold: gold, prediction: reasoning(using: &generator) + "Therefore the final answer is $\\boxed{\(answer)}$.", expected: correct)
    }

    /// One to four KB of step-by-step text with numbers and inline math, as a long chain of thought has.
    static func reasoning(using generator: inout SplitMix64) -> String {
        var text = ""
        let target = Int.random(in: 1_000...4_000, using: &generator)
        while text.utf8.count < target {
            let x = Int.random(in: 1...999, using: &generator)
            let y = Int.random(in: 1...999, using: &generator)
            text += "Wait, let me check: $\(x) + \(y) = \(x + y)$, so the next step uses \(x * y). "
        }
        return text + "\n\n"
    }

    static func formatThousands(_ value: Int) -> String {
        let digits = Array(String(value))
        var groups: [String] = []
        var end = digits.count
        while end > 0 {
            groups.insert(String(digits[max(0, end - 3)..<end]), at: 0)
            end -= 3
        }
        return groups.joined(separator: ",")
    }
}
