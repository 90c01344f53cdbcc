import Foundation

/// A multi-step integer arithmetic problem: a start value and operations applied in order.
public struct SyntheticProblem: Sendable, Hashable {
    /// An operation on the running value.
    public enum Operation: Sendable, Hashable {
        case add(Int), subtract(Int), multiply(Int)

        /// The value after applying the operation to `value`.
        public func apply(_ value: Int) -> Int {
            switch self {
            case .add(let n): value + n
            case .subtract(let n): value - n
            case .multiply(let n): value * n
            }
        }

        /// The value before the operation, given the value after (for backward verification).
        public func undo(_ value: Int) -> Int {
            switch self {
            case .add(let n): value - n
            case .subtract(let n): value + n
            case .multiply(let n): value / n
            }
        }

        /// `+ 5`, `- 3`, `* 4`.
        var symbol: String {
            switch self {
            case .add: "+"
            case .subtract: "-"
            case .multiply: "*"
            }
        }

        var operand: Int {
            switch self {
            case .add(let n), .subtract(let n), .multiply(let n): n
            }
        }

        /// The phrase in the problem text.
        var phrase: String {
            switch self {
            case .add(let n): "add \(n)"
            case .subtract(let n): "subtract \(n)"
            case .multiply(let n): "multiply by \(n)"
            }
        }
    }

    /// The level it was drawn at.
    public var level: Int
    /// The start value.
    public var start: Int
    /// The operations, in order.
    public var operations: [Operation]

    /// Creates a problem.
    public init(level: Int, start: Int, operations: [Operation]) {
        self.level = level
        self.start = start
        self.operations = operations
    }

    /// The running values: start, then after each operation.
    public var values: [Int] {
        operations.reduce(into: [start]) { values, operation in values.append(operation.apply(values.last!)) }
    }

    /// The exact answer.
    public var answer: Int { values.last! }

    /// The problem as a user would read it.
    public var text: String {
        "Start with \(start). Then " + operations.map(\.phrase).joined(separator: ", then ") + ". What number do you get?"
    }

    /// Reads a problem back from `text` (the inverse of `text`), for graders and tests.
    public init?(parsing text: String, level: Int = 0) {
        guard text.hasPrefix("Start with "), let dot = text.firstIndex(of: "."),
              let start = Int(text[text.index(text.startIndex, offsetBy: 11)..<dot]),
              let end = text.range(of: ". What number do you get?")
        else { return nil }
        var operations: [Operation] = []
        let list = text[text.index(dot, offsetBy: 7)..<end.lowerBound]
        for phrase in list.split(separator: ", then ").map(String.init) {
            let words = phrase.split(separator: " ")
            guard let n = words.last.flatMap({ Int($0) }) else { return nil }
            switch words.first {
            case "add": operations.append(.add(n))
            case "subtract": operations.append(.subtract(n))
            case "multiply": operations.append(.multiply(n))
            default: return nil
            }
        }
        self.init(level: level, start: start, operations: operations)
    }
}
