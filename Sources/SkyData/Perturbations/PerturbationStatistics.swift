public import SkyCore

/// Totals of one perturbation over a dataset.
public struct PerturbationStatistics: Sendable, Hashable {
    /// The perturbation's spec name.
    public var name: String
    /// Its ratio.
    public var ratio: Double
    /// Records it was applied to.
    public var samples = 0
    /// Records whose text it changed.
    public var samplesChanged = 0
    /// Sums of every per-sample counter.
    public var totals: [String: Int] = [:]

    /// Creates empty totals.
    public init(name: String, ratio: Double) {
        self.name = name
        self.ratio = ratio
    }

    /// Adds one sample's effect.
    public mutating func add(_ effect: SampleEffect) {
        samples += 1
        if effect.changed { samplesChanged += 1 }
        for (key, value) in effect.counters { totals[key, default: 0] += value }
    }

    /// The totals as JSON, for manifests and job metrics, with the `summary` line.
    public var json: JSONValue {
        .object([
            "name": .string(name), "ratio": .number(ratio), "samples": .number(Double(samples)),
            "samplesChanged": .number(Double(samplesChanged)), "summary": .string(summary),
            "totals": .object(totals.mapValues { .number(Double($0)) }),
        ])
    }

    /// Counters that say why a selected sample was left unchanged, and how a summary says it.
    static let unchangedReasons: [(counter: String, reason: String)] = [
        ("unchangedNoWrongAnswer", "no wrong answer of this kind"),
        ("noBoxedAnswer", "no boxed answer"),
        ("noSubstitute", "no wrong sample for its question"),
    ]

    /// The counter of selected answers of `kind` that no rule could change (`other` → `unchangedOtherAnswers`).
    static func unchangedKindCounter(_ kind: String) -> String {
        "unchanged" + kind.prefix(1).uppercased() + kind.dropFirst() + "Answers"
    }

    /// The line a person reads, e.g. "wrong_answer: 394 of 400 selected answers changed; 6 unchanged: no wrong answer
    /// of this kind (other: 6)". It gives counts, never a bare percentage, so a shortfall cannot hide behind "100%".
    public var summary: String {
        guard let selected = totals["samplesSelected"] else { return "\(name): \(samplesChanged) of \(samples) samples changed" }
        let line = "\(name): \(samplesChanged) of \(selected) selected \(name == "wrong_answer" ? "answers" : "samples") changed"
        let unchanged = selected - samplesChanged
        guard unchanged > 0 else { return line }
        var reasons: [(count: Int, text: String)] = []
        for (counter, reason) in Self.unchangedReasons {
            guard let count = totals[counter], count > 0 else { continue }
            reasons.append((count, counter == "unchangedNoWrongAnswer" ? "\(reason) (\(unchangedKinds))" : reason))
        }
        let explained = reasons.reduce(0) { $0 + $1.count }
        if explained < unchanged { reasons.append((unchanged - explained, "nothing to change")) }
        if reasons.count == 1 { return "\(line); \(unchanged) unchanged: \(reasons[0].text)" }
        return "\(line); \(unchanged) unchanged: " + reasons.map { "\($0.count) \($0.text)" }.joined(separator: ", ")
    }

    /// "other: 5, text: 1": the kinds of the answers no wrong answer could be made for, most first.
    private var unchangedKinds: String {
        let kinds = totals.compactMap { key, value -> (String, Int)? in
            guard key.hasPrefix("unchanged"), key.hasSuffix("Answers"), key.count > 16, value > 0 else { return nil }
            let kind = key.dropFirst(9).dropLast(7)
            return (kind.prefix(1).lowercased() + kind.dropFirst(), value)
        }
        return kinds.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.map { "\($0.0): \($0.1)" }.joined(separator: ", ")
    }
}
