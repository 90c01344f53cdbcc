import Foundation

/// One log line as `skyctl logs` prints it: time, attempt, level, message.
public enum LogLineText {
    /// `2026-11-21 21:40:05 #1 INFO  message`, the level coloured on a terminal.
    public static func render(_ line: LogLine, style: TerminalStyle) -> String {
        let level = line.level.uppercased().padding(toLength: 5, withPad: " ", startingAt: 0)
        let colour: TerminalStyle.Colour? = switch line.level {
        case "error", "critical": .red
        case "warning": .yellow
        case "trace", "debug": .dim
        default: nil
        }
        return "\(TimeText.timestamp(line.at)) #\(line.attempt) \(style.paint(level, colour)) \(line.message)"
    }
}
