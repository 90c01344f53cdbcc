/// A difficulty level of the synthetic arithmetic task.
///
/// Difficulty grows with the number of operations and the operand range; every intermediate value
/// stays in 0…`maxValue` (an operation that would leave it is replaced by an addition or subtraction
/// that does not), so a tiny model never needs more than three-digit numbers.
public struct SyntheticLevel: Sendable, Hashable {
    /// 1-based level number.
    public var number: Int
    /// Operations applied after the start value.
    public var operations: Int
    /// Largest operand of `+` and `-`.
    public var maxAddend: Int
    /// Largest multiplier.
    public var maxFactor: Int
    /// Largest start value.
    public var maxStart: Int
    /// Bound on every intermediate value.
    public var maxValue: Int

    /// Creates a level.
    public init(number: Int, operations: Int, maxAddend: Int, maxFactor: Int, maxStart: Int, maxValue: Int = 999) {
        self.number = number
        self.operations = operations
        self.maxAddend = maxAddend
        self.maxFactor = maxFactor
        self.maxStart = maxStart
        self.maxValue = maxValue
    }

    /// Levels 1–4: 2, 3, 5 and 7 operations with growing operands.
    public static let standard = [
        SyntheticLevel(number: 1, operations: 2, maxAddend: 9, maxFactor: 3, maxStart: 9),
        SyntheticLevel(number: 2, operations: 3, maxAddend: 20, maxFactor: 5, maxStart: 20),
        SyntheticLevel(number: 3, operations: 5, maxAddend: 50, maxFactor: 9, maxStart: 50),
        SyntheticLevel(number: 4, operations: 7, maxAddend: 99, maxFactor: 9, maxStart: 99),
    ]
}
