public import Foundation
public import SkyCore

/// ANSI colours, only when writing to a terminal and `NO_COLOR` is unset (no-color.org).
public struct TerminalStyle: Sendable, Hashable {
    /// Whether escapes are written at all.
    public var enabled: Bool

    /// A style that colours or not, as told.
    public init(enabled: Bool) { self.enabled = enabled }

    /// The style for standard output of this process.
    public static func forStandardOutput(environment: [String: String] = ProcessInfo.processInfo.environment) -> TerminalStyle {
        TerminalStyle(enabled: isatty(STDOUT_FILENO) == 1 && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb")
    }

    /// ANSI SGR colours used by skyctl.
    public enum Colour: String, Sendable {
        case red = "31", green = "32", yellow = "33", blue = "34", cyan = "36", dim = "2", bold = "1"
    }

    /// `text` wrapped in `colour` when enabled.
    public func paint(_ text: String, _ colour: Colour?) -> String {
        guard enabled, let colour, !text.isEmpty else { return text }
        return "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m"
    }

    /// The colour of a job state, like SkyPilot's: green done, blue running, yellow waiting, red failed.
    public static func colour(of state: JobState) -> Colour {
        switch state {
        case .succeeded: .green
        case .running: .blue
        case .queued, .waiting: .yellow
        case .failed: .red
        case .cancelled: .dim
        }
    }

    /// The number of characters a terminal shows for `text`, ignoring ANSI escapes.
    public static func visibleWidth(_ text: String) -> Int {
        var width = 0
        var inEscape = false
        for character in text {
            if inEscape {
                if character.isLetter { inEscape = false }
            } else if character == "\u{1B}" {
                inEscape = true
            } else {
                width += 1
            }
        }
        return width
    }
}
