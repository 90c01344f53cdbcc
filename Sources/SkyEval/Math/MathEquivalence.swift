/// Decides whether two normalised answers mean the same: shapes first (tuples, intervals, sets, matrices,
/// relations, unions), then each element as a scalar.
public struct MathEquivalence: Sendable {
    /// The bounds on parsing and element counts.
    public let limits: GradingLimits

    /// An equivalence checker with the given bounds.
    public init(limits: GradingLimits = .standard) { self.limits = limits }

    /// Whether `pred` is equivalent to `gold`, and why (or why not).
    public func compare(gold: NormalizedAnswer, pred: NormalizedAnswer) -> (equal: Bool, reason: String) {
        if gold.text == pred.text { return (true, "exact") }
        let scalar = ScalarEquivalence(limits: limits, percent: gold.hadPercent || pred.hadPercent)
        let outcome = compare(gold.text, pred.text, scalar: scalar, depth: 0)
        return (outcome.isEqual, outcome.reason)
    }

    /// Nested shapes ("(1, \{2, 3\})") are followed this deep.
    static let maxShapeDepth = 6

    func compare(_ gold: String, _ pred: String, scalar: ScalarEquivalence, depth: Int) -> Outcome {
        if gold == pred { return .equal("exact") }
        guard depth < Self.maxShapeDepth else { return .differ("nested too deeply") }
        return compare(AnswerShape.of(gold), AnswerShape.of(pred), scalar: scalar, depth: depth)
    }

    func compare(_ gold: AnswerShape, _ pred: AnswerShape, scalar: ScalarEquivalence, depth: Int) -> Outcome {
        let element = { (a: String, b: String) in compare(a, b, scalar: scalar, depth: depth + 1).isEqual }
        switch (gold, pred) {
        case (.scalar(let a), .scalar(let b)):
            return scalar.compare(a, b)
        case (.scalar(let a), .unordered(let items)) where items.count == 1, (.unordered(let items), .scalar(let a)) where items.count == 1:
            return scalar.compare(a, items[0])
        case (.scalar(let value), .relation(let terms, ["="])), (.relation(let terms, ["="]), .scalar(let value)):
            // "y = 2x+1" against "2x+1": the gold lost its prefix in normalisation, the prediction wrote it on the right.
            guard let other = Self.sideOtherThanLoneVariable(terms) else { return .differ("equation vs value") }
            return scalar.compare(value, other)
        case (.ordered(let open, let close, let a), .ordered(let predOpen, let predClose, let b)):
            guard a.count == b.count else { return .differ("\(a.count) elements vs \(b.count)") }
            guard zip(a, b).allSatisfy(element) else { return .differ("elements differ") }
            guard open == predOpen, close == predClose else { return .differ("ends differ: \(open)…\(close) vs \(predOpen)…\(predClose)") }
            return .equal("element-wise")
        case (.unordered(let a), .unordered(let b)):
            return matchUnordered(a, b, equal: element)
        case (.matrix(let a), .matrix(let b)):
            guard a.count == b.count, zip(a, b).allSatisfy({ $0.count == $1.count }) else { return .differ("matrix shapes differ") }
            return zip(a.joined(), b.joined()).allSatisfy(element) ? .equal("matrix element-wise") : .differ("matrix entries differ")
        case (.relation(let a, let opsA), .relation(let b, let opsB)):
            return compareRelations(a, opsA, b, opsB, scalar: scalar, equal: element)
        case (.union(let a), .union(let b)):
            guard a.count == b.count else { return .differ("unions of \(a.count) vs \(b.count) parts") }
            let matched = zip(a, b).allSatisfy { compare($0, $1, scalar: scalar, depth: depth + 1).isEqual }
            return matched ? .equal("union element-wise") : .differ("union parts differ")
        default:
            return .differ("different kinds of answer")
        }
    }

    /// In "2x+1=y" the side that is not a lone variable.
    static func sideOtherThanLoneVariable(_ terms: [String]) -> String? {
        guard terms.count == 2 else { return nil }
        if AnswerNormalizer.isLoneVariable(Substring(terms[1])) { return terms[0] }
        if AnswerNormalizer.isLoneVariable(Substring(terms[0])) { return terms[1] }
        return nil
    }

    /// Each gold element claims one equal predicted element; greedy is exact here because equality is transitive.
    func matchUnordered(_ gold: [String], _ pred: [String], equal: (String, String) -> Bool) -> Outcome {
        guard gold.count == pred.count else { return .differ("\(gold.count) elements vs \(pred.count)") }
        guard gold.count <= limits.maxElements else { return .differ("more than \(limits.maxElements) elements") }
        var unclaimed = pred
        for item in gold {
            guard let match = unclaimed.firstIndex(where: { equal(item, $0) }) else { return .differ("no match for \(item)") }
            unclaimed.remove(at: match)
        }
        return .equal("same elements")
    }

    /// Same operators and terms; an equation may also be written the other way round or as a multiple
    /// ("y = 2x" vs "2x = y", "x - y = 0" vs "y - x = 0") — checked through the difference of its sides.
    func compareRelations(_ a: [String], _ opsA: [String], _ b: [String], _ opsB: [String], scalar: ScalarEquivalence,
                          equal: (String, String) -> Bool) -> Outcome {
        if opsA == opsB, a.count == b.count, zip(a, b).allSatisfy(equal) { return .equal("relation term-wise") }
        guard opsA == ["="], opsB == ["="] else { return .differ("relations differ") }
        if equal(a[0], b[1]), equal(a[1], b[0]) { return .equal("equation sides swapped") }
        let gold = "(\(a[0]))-(\(a[1]))"
        if scalar.compare(gold, "(\(b[0]))-(\(b[1]))").isEqual || scalar.compare(gold, "(\(b[1]))-(\(b[0]))").isEqual {
            return .equal("equation as difference of sides")
        }
        return .differ("equations differ")
    }
}
