import Foundation
import SkyCore

/// A record's question reduced to a stable key, for deduplication and for matching wrong samples.
///
/// Normalisation: drop Sky-T1's instruction prefix (`Return your final response within \boxed{}.`),
/// lowercase, collapse every whitespace run to one space, trim; then SHA-256, first 16 bytes as hex.
public enum QuestionKey {
    private static let instruction = "return your final response within \\boxed{}."

    /// The normalised question text.
    public static func normalise(_ question: String) -> String {
        var text = question.lowercased()
        if let range = text.range(of: instruction) { text.removeSubrange(range) }
        return text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The key of `question`.
    public static func key(_ question: String) -> String {
        String(SHA256.hex(normalise(question).utf8).prefix(32))
    }
}
