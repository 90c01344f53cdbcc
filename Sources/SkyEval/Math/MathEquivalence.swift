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
        // The ×100 rule is for a percent written on one side only: "0.25\\%" is not "25\\%".
        let scalar = ScalarEquivalence(limits: limits, percent: gold.hadPercent != pred.hadPercent)
        let outcome = compare(gold.text, pred.text, scalar: scalar, depth: 0)
        // "y = -x/2 + 3/4" lost its "y =" in normalisation; against an equation it is the equation that counts.
        if !outcome.isEqual, gold.statement != nil || pred.statement != nil {
            let whole = compare(gold.statement ?? gold.text, pred.statement ?? pred.text, scalar: scalar, depth: 0)
            if whole.isEqual { return (true, whole.reason) }
        }
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
            let outcome = compareRelations(a, opsA, b, opsB, scalar: scalar, equal: element)
            guard !outcome.isEqual, let valuesA = Self.statedValues(a, opsA), let valuesB = Self.statedValues(b, opsB),
                  a.count > 2 || b.count > 2 || opsA.contains("\\approx") || opsB.contains("\\approx") else { return outcome }
            // Two chains ("z = 1+1 = 2", "z = 3+3 = 2") state the values they end in.
            let same = valuesA.contains { x in valuesB.contains { y in element(x, y) } }
            return same ? .equal("same stated value") : outcome
        case (.union(let a), .union(let b)):
            guard a.count == b.count else { return .differ("unions of \(a.count) vs \(b.count) parts") }
            let matched = zip(a, b).allSatisfy { compare($0, $1, scalar: scalar, depth: depth + 1).isEqual }
            return matched ? .equal("union element-wise") : .differ("union parts differ")
        default:
            if case .relation(let terms, let operators) = gold, let outcome = relation(terms, operators, against: pred, relationIsGold: true,
                                                                                       scalar: scalar, depth: depth) {
                return outcome
            }
            if case .relation(let terms, let operators) = pred, let outcome = relation(terms, operators, against: gold, relationIsGold: false,
                                                                                       scalar: scalar, depth: depth) {
                return outcome
            }
            return .differ("different kinds of answer")
        }
    }

    /// A relation against an answer that is none: the value it states ("x = 5+5+1 = 11", "(p,q)=(3,2)",
    /// "x \\approx 11"), or the interval an inequality describes ("-2 \\le x \\le 7" is [-2,7]); nil when it is neither.
    func relation(_ terms: [String], _ operators: [String], against other: AnswerShape, relationIsGold: Bool,
                  scalar: ScalarEquivalence, depth: Int) -> Outcome? {
        let ordered = { (mine: AnswerShape) in
            relationIsGold ? self.compare(mine, other, scalar: scalar, depth: depth + 1) : self.compare(other, mine, scalar: scalar, depth: depth + 1)
        }
        if let values = Self.statedValues(terms, operators) {
            for value in values where ordered(AnswerShape.of(value)).isEqual { return .equal("stated value") }
            return .differ(values.count == 1 ? "stated value differs" : "neither side of \\approx matches")
        }
        if let interval = Self.interval(terms, operators) {
            let outcome = ordered(interval)
            return outcome.isEqual ? .equal("inequality as interval") : .differ("inequality vs interval: \(outcome.reason)")
        }
        return operators.allSatisfy({ $0 == "=" }) ? .differ("equation vs value") : nil
    }

    /// The values an equation chain states: its last side ("a+b=11+9=20"), both sides of its last `\\approx` (the exact
    /// and the rounded value), or the other side of a two-sided equation whose one side only names the answer.
    static func statedValues(_ terms: [String], _ operators: [String]) -> [String]? {
        guard operators.allSatisfy({ $0 == "=" || $0 == "\\approx" }), terms.count >= 2 else { return nil }
        if let approx = operators.lastIndex(of: "\\approx") { return [terms[approx + 1], terms[approx]] }
        if terms.count > 2 { return [terms[terms.count - 1]] }
        if AnswerNormalizer.isName(Substring(terms[0])) { return [terms[1]] }
        if AnswerNormalizer.isName(Substring(terms[1])) { return [terms[0]] }
        // "2+3=5" is a computation ending in its value; "7=11a+c" is an equation in a and c.
        if terms.allSatisfy(isConstant) { return [terms[1]] }
        return nil
    }

    /// Whether `text` is an expression without variables.
    static func isConstant(_ text: String) -> Bool {
        guard let expression = try? LatexExpressionParser.parse(text, maxDepth: GradingLimits.standard.maxDepth) else { return false }
        return expression.variables.isEmpty
    }

    /// `a < x < b`, `x \\le a`, `a < x` (in the canonical < / \\le form) as the interval of x they describe.
    static func interval(_ terms: [String], _ operators: [String]) -> AnswerShape? {
        guard operators.allSatisfy({ $0 == "<" || $0 == "\\le" }) else { return nil }
        let open: (String) -> Character = { $0 == "<" ? "(" : "[" }
        let close: (String) -> Character = { $0 == "<" ? ")" : "]" }
        if terms.count == 3, AnswerNormalizer.isName(Substring(terms[1])) {
            return .ordered(open: open(operators[0]), close: close(operators[1]), [terms[0], terms[2]])
        }
        guard terms.count == 2 else { return nil }
        if AnswerNormalizer.isName(Substring(terms[1])) { return .ordered(open: open(operators[0]), close: ")", [terms[0], "\\infty"]) }
        if AnswerNormalizer.isName(Substring(terms[0])) { return .ordered(open: "(", close: close(operators[0]), ["-\\infty", terms[1]]) }
        return nil
    }

    /// Each gold element claims one equal predicted element; greedy is exact here because equality is transitive.
    func matchUnordered(_ gold: [String], _ pred: [String], equal: (String, String) -> Bool) -> Outcome {
        // A set written with an element twice is the same set: compare without the repeats.
        let (gold, pred) = gold.count == pred.count ? (gold, pred) : (Self.withoutRepeats(gold), Self.withoutRepeats(pred))
        guard gold.count == pred.count else { return .differ("\(gold.count) elements vs \(pred.count)") }
        guard gold.count <= limits.maxElements else { return .differ("more than \(limits.maxElements) elements") }
        var unclaimed = pred
        for item in gold {
            guard let match = unclaimed.firstIndex(where: { equal(item, $0) }) else { return .differ("no match for \(item)") }
            unclaimed.remove(at: match)
        }
        return .equal("same elements")
    }

    /// The elements in their first order, each text once.
    static func withoutRepeats(_ elements: [String]) -> [String] {
        var seen = Set<String>()
        return elements.filter { seen.insert($0).inserted }
    }

    /// Same operators and terms; an equation may also be written the other way round or as a multiple
    /// ("y = 2x" vs "2x = y", "x - y = 0" vs "y - x = 0") — checked through the difference of its sides.
    func compareRelations(_ a: [String], _ opsA: [String], _ b: [String], _ opsB: [String], scalar: ScalarEquivalence,
                          equal: (String, String) -> Bool) -> Outcome {
        if opsA == opsB, a.count == b.count, zip(a, b).allSatisfy(equal) { return .equal("relation term-wise") }
        // "-x > -1" is "x < 1": every side negated, the order (so the operators) reversed.
        if opsA == Array(opsB.reversed()), opsA.allSatisfy({ $0 != "=" }), a.count == b.count,
           zip(a, b.reversed()).allSatisfy({ equal($0, "-(\($1))") }) {
            return .equal("relation with both sides negated")
        }
        guard opsA == ["="], opsB == ["="] else { return .differ("relations differ") }
        if equal(a[0], b[1]), equal(a[1], b[0]) { return .equal("equation sides swapped") }
        let gold = "(\(a[0]))-(\(a[1]))"
        if scalar.compare(gold, "(\(b[0]))-(\(b[1]))").isEqual || scalar.compare(gold, "(\(b[1]))-(\(b[0]))").isEqual {
            return .equal("equation as difference of sides")
        }
        // "x^2/4 + y^2/3 = 1" and "x^2/16 + y^2/12 = 1/4": one equation times a constant.
        if scalar.proportional(gold, "(\(b[0]))-(\(b[1]))") { return .equal("equation as a multiple") }
        return .differ("equations differ")
    }
}
