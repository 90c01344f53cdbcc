/// Whether two single-valued answers are equal: as text, as numbers within a relative 1e-4 (with the
/// ×100 / ÷100 rule when a percent sign was written), or as expressions agreeing at seeded random points.
struct ScalarEquivalence {
    let limits: GradingLimits
    /// Set when either side carried a percent sign.
    let percent: Bool

    static let relativeTolerance = 1e-4
    /// Lets values that should be 0 but come out of sin(π) or x²−1 at x = 1 as 1e-16 compare equal.
    static let absoluteTolerance = 1e-9
    static let samplePoints = 6

    func compare(_ gold: String, _ pred: String) -> Outcome {
        if gold == pred { return .equal("exact") }
        // Words ("Yes", "yes") are not products of one-letter variables.
        if gold.count > 1, gold.allSatisfy(\.isLetter), gold.lowercased() == pred.lowercased() { return .equal("same word") }
        // A choice letter in either case ("c" for "C"); other single letters are variables, and case matters there.
        if gold.count == 1, let letter = gold.first, "ABCDE".contains(letter) {
            if pred == gold.lowercased() { return .equal("same choice letter") }
            // "(B)27": the choice's letter and then its value, as the options are printed.
            if pred.hasPrefix("(\(letter))"), pred.count > 3 { return .equal("choice letter before its value") }
        }
        if let a = Self.plainNumber(gold), let b = Self.plainNumber(pred) { return compareValues(a, b) }
        let parsedGold: MathExpression
        let parsedPred: MathExpression
        do {
            parsedGold = try LatexExpressionParser.parse(gold, maxDepth: limits.maxDepth)
            parsedPred = try LatexExpressionParser.parse(pred, maxDepth: limits.maxDepth)
        } catch {
            // Text answers ("(A)", "\text{yes}", names) compare as text without grouping braces.
            let strip: (String) -> String = { $0.filter { $0 != "{" && $0 != "}" } }
            return strip(gold) == strip(pred) ? .equal("exact") : .differ("not an expression (\(error.message)); texts differ")
        }
        let variables = parsedGold.variables.union(parsedPred.variables)
        if variables.isEmpty { return compareValues(parsedGold.evaluate([:]), parsedPred.evaluate([:])) }
        return compareAtPoints(parsedGold, parsedPred, variables: variables.sorted())
    }

    /// A bare decimal or scientific-notation number, parsed without the expression parser (the common case).
    static func plainNumber(_ text: String) -> Double? {
        guard let first = text.unicodeScalars.first, first.isASCIIDigit || first == "-" || first == ".",
              text.unicodeScalars.allSatisfy({ $0.isASCIIDigit || ".-+eE".unicodeScalars.contains($0) }) else { return nil }
        return Double(text)
    }

    func compareValues(_ gold: Double, _ pred: Double) -> Outcome {
        guard gold.isFinite, pred.isFinite else { return .differ("values are not finite numbers") }
        if Self.close(gold, pred) { return .equal("numeric") }
        if percent, Self.close(gold * 100, pred) || Self.close(gold / 100, pred) { return .equal("numeric (percent)") }
        return .differ("values differ: \(gold) vs \(pred)")
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        guard a.isFinite, b.isFinite else { return false }
        return abs(a - b) <= max(absoluteTolerance, relativeTolerance * max(abs(a), abs(b)))
    }

    /// Whether `gold` is a constant non-zero multiple of `pred` as expressions in their variables (two equations'
    /// differences of sides), checked at the same seeded points as `compareAtPoints`.
    func proportional(_ gold: String, _ pred: String) -> Bool {
        guard let a = try? LatexExpressionParser.parse(gold, maxDepth: limits.maxDepth),
              let b = try? LatexExpressionParser.parse(pred, maxDepth: limits.maxDepth) else { return false }
        let variables = a.variables.union(b.variables).sorted()
        guard !variables.isEmpty else { return false }
        var ratio: Double?
        var agreed = 0
        for point in Self.points(variables) where agreed < Self.samplePoints {
            let x = a.evaluate(point)
            let y = b.evaluate(point)
            guard x.isFinite, y.isFinite, abs(y) > Self.absoluteTolerance, abs(x) > Self.absoluteTolerance else { continue }
            guard let first = ratio else { ratio = x / y; agreed += 1; continue }
            guard Self.close(first, x / y) else { return false }
            agreed += 1
        }
        return agreed >= 3
    }

    /// Twice `samplePoints` seeded points in [0.5, 2.5]: away from 0 and negatives, where logs, roots and divisions
    /// are defined (twice, so points where an expression is undefined can be skipped).
    static func points(_ variables: [String]) -> [[String: Double]] {
        var generator = SplitMix64(seed: 0x5C1E_7A11)
        return (0..<samplePoints * 2).map { _ in
            var point: [String: Double] = [:]
            for variable in variables { point[variable] = Double.random(in: 0.5...2.5, using: &generator) }
            return point
        }
    }

    /// Whether two expressions agree at the seeded points.
    func compareAtPoints(_ gold: MathExpression, _ pred: MathExpression, variables: [String]) -> Outcome {
        var agreed = 0
        for point in Self.points(variables) where agreed < Self.samplePoints {
            let a = gold.evaluate(point)
            let b = pred.evaluate(point)
            if !a.isFinite, !b.isFinite { continue }
            guard Self.close(a, b) else { return .differ("expressions differ at \(point.sorted { $0.key < $1.key })") }
            agreed += 1
        }
        return agreed >= 3 ? .equal("expression (\(agreed) random points)") : .differ("expressions undefined at the sample points")
    }
}

/// The result of one comparison, with the reason the verdict reports.
enum Outcome: Equatable {
    case equal(String)
    case differ(String)

    var isEqual: Bool { if case .equal = self { true } else { false } }
    var reason: String { switch self { case .equal(let reason), .differ(let reason): reason } }
}
