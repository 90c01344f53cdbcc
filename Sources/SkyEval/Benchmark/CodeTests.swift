public import SkyCore
import Foundation

/// How a coding problem is checked: programs reading stdin, or one named function called with arguments.
///
/// Encoded as in Sky's benchmark layout: a list `[{"input", "output"}]`, or
/// `{"fn_name": name, "tests": [{"args": [...], "expected": value}]}`.
public enum CodeTests: Sendable, Equatable, Codable {
    /// Whole programs: each test's input on stdin, its output compared with stdout.
    case stdio([StdioTest])
    /// A function (top-level, or a method of `class Solution`) called with each test's arguments.
    case functional(name: String, tests: [FunctionalTest])

    /// The number of tests.
    public var count: Int {
        switch self {
        case .stdio(let tests): tests.count
        case .functional(_, let tests): tests.count
        }
    }

    enum CodingKeys: String, CodingKey { case fnName = "fn_name", tests }

    /// Decodes either layout.
    public init(from decoder: any Decoder) throws {
        if let list = try? decoder.singleValueContainer().decode([StdioTest].self) {
            self = .stdio(list)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self = .functional(name: try container.decode(String.self, forKey: .fnName),
                           tests: try container.decode([FunctionalTest].self, forKey: .tests))
    }

    /// Encodes in Sky's layout.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .stdio(let tests):
            var container = encoder.singleValueContainer()
            try container.encode(tests)
        case .functional(let name, let tests):
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .fnName)
            try container.encode(tests, forKey: .tests)
        }
    }
}

/// One stdin/stdout test.
public struct StdioTest: Sendable, Equatable, Codable {
    /// Bytes given on stdin.
    public var input: String
    /// The expected stdout, compared after whitespace normalisation.
    public var output: String

    /// A test from its input and expected output.
    public init(input: String, output: String) {
        self.input = input
        self.output = output
    }
}

/// One call of the named function. Arguments and result are kept as JSON text and compared in Python, so integers
/// beyond 2⁵³ (LiveCodeBench has 10¹⁸) stay exact.
public struct FunctionalTest: Sendable, Equatable, Codable {
    /// The positional arguments as a JSON array, e.g. `[[2, 7, 11, 15], 9]`.
    public var arguments: String
    /// The expected return value as JSON (tuples compare as lists; floats within 1e-6 + 1e-6·|expected|).
    public var expected: String

    /// A test from JSON texts, taken as they are.
    public init(arguments: String, expected: String) {
        self.arguments = arguments
        self.expected = expected
    }

    /// A test from JSON values (exact only for numbers below 2⁵³, which is all a `JSONValue` holds exactly).
    public init(args: [JSONValue], expected: JSONValue) {
        arguments = String(decoding: JSONValue.array(args).encoded(), as: UTF8.self)
        self.expected = String(decoding: expected.encoded(), as: UTF8.self)
    }

    /// The arguments parsed, for inspection; nil if the text is not a JSON array.
    public var argumentValues: [JSONValue]? {
        guard case .array(let values)? = try? JSONValue.parse(Data(arguments.utf8)) else { return nil }
        return values
    }

    /// The expected value parsed, for inspection.
    public var expectedValue: JSONValue? { try? JSONValue.parse(Data(expected.utf8)) }

    enum CodingKeys: String, CodingKey { case args, expected }

    /// Decodes Sky's `{"args": [...], "expected": value}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(args: try container.decode([JSONValue].self, forKey: .args), expected: try container.decode(JSONValue.self, forKey: .expected))
    }

    /// Encodes as Sky's `{"args": [...], "expected": value}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(argumentValues ?? [], forKey: .args)
        try container.encode(expectedValue ?? .null, forKey: .expected)
    }
}
