/// A Thought block cut into steps, with the whitespace around them so an untouched block renders unchanged.
public struct StepSplit: Sendable, Hashable {
    /// Whitespace before the first step (Sky-T1 has `\n\n` after the marker).
    public var leading: String
    /// The steps, without surrounding whitespace.
    public var steps: [String]
    /// Whitespace after the last step.
    public var trailing: String
    /// What joins steps when the block is rendered again: a blank line, the data's convention.
    public static let separator = "\n\n"

    /// Creates a split.
    public init(leading: String = "", steps: [String], trailing: String = "") {
        self.leading = leading
        self.steps = steps
        self.trailing = trailing
    }

    /// The block rendered with steps joined by `separator`.
    public var text: String {
        leading + steps.joined(separator: Self.separator) + trailing
    }

    /// Splits `text` into its leading whitespace, body and trailing whitespace.
    static func trim(_ text: String) -> (leading: String, body: Substring, trailing: String) {
        let body = trimmed(text[...])
        return (String(text[..<body.startIndex]), body, String(text[body.endIndex...]))
    }

    /// `text` without surrounding whitespace, sharing its indices.
    static func trimmed(_ text: Substring) -> Substring {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else {
            return text[text.endIndex...]
        }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return text[first..<scalars.index(after: last)]
    }
}
