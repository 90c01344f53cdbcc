/// A difficulty level of the synthetic counting task: how many additions a problem chains.
///
/// The step (1–3) and start (0–9) are drawn the same way at every level, so a level differs only in the
/// length of the chain, and so in how far a direct answer is from anything a model can look up.
public struct SyntheticLevel: Sendable, Hashable {
    /// 1-based level number.
    public var number: Int
    /// Fewest additions.
    public var minCount: Int
    /// Most additions (at most `SyntheticProblem.maxCount`).
    public var maxCount: Int

    /// Creates a level.
    public init(number: Int, minCount: Int, maxCount: Int) {
        precondition(1 <= minCount && minCount <= maxCount && maxCount <= SyntheticProblem.maxCount,
                     "1 ≤ minCount ≤ maxCount ≤ \(SyntheticProblem.maxCount)")
        self.number = number
        self.minCount = minCount
        self.maxCount = maxCount
    }

    /// Levels 1–4: 2–3, 4–5, 6–7 and 8–9 additions.
    public static let standard = [
        SyntheticLevel(number: 1, minCount: 2, maxCount: 3),
        SyntheticLevel(number: 2, minCount: 4, maxCount: 5),
        SyntheticLevel(number: 3, minCount: 6, maxCount: 7),
        SyntheticLevel(number: 4, minCount: 8, maxCount: 9),
    ]

    /// Every problem of this level, in a fixed order.
    var problems: [SyntheticProblem] {
        (minCount...maxCount).flatMap { count in
            SyntheticProblem.steps.flatMap { step in
                (0...9).map { SyntheticProblem(level: number, start: $0, step: step, count: count) }
            }
        }
    }
}
