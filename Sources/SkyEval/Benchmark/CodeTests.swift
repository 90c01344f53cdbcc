public import SkyCore

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

/// One call of the named function.
public struct FunctionalTest: Sendable, Equatable, Codable {
    /// Positional arguments, as JSON.
    public var args: [JSONValue]
    /// The expected return value, as JSON (tuples compare as lists).
    public var expected: JSONValue

    /// A test from its arguments and expected result.
    public init(args: [JSONValue], expected: JSONValue) {
        self.args = args
        self.expected = expected
    }
}
