/// Counts the words and phrases by which long chains of thought reflect on themselves, as the Sky-T1 paper's
/// analysis does. Matching is case-insensitive and whole-word; hyphens and apostrophes separate words, so
/// "Double-check" and "double check" are one phrase; the longest phrase at a position wins and is counted once
/// ("let me verify" counts once, not also as "verify").
public enum ReflectionKeywords {
    /// The phrases counted.
    public static let phrases: [String] = [
        "wait", "hmm", "but", "however", "alternatively", "actually",
        "let me think again", "let me check", "let me verify", "let me double check", "let me recheck",
        "double check", "verify", "re-examine", "recheck", "on second thought", "maybe i made a mistake",
        "i made a mistake", "that doesn't seem right", "let me reconsider", "reconsider",
    ]

    static let table: [[Substring]] = phrases.map { words(in: $0) }.sorted { $0.count > $1.count }

    /// Occurrences of any phrase in `text`.
    public static func count(in text: String) -> Int {
        let tokens = words(in: text)
        var index = 0
        var total = 0
        while index < tokens.count {
            if let match = table.first(where: { phrase in
                index + phrase.count <= tokens.count && zip(phrase, tokens[index..<index + phrase.count]).allSatisfy { $0 == $1 }
            }) {
                total += 1
                index += match.count
            } else {
                index += 1
            }
        }
        return total
    }

    static func words(in text: String) -> [Substring] {
        let lowered = text.lowercased()
        return lowered.split { !($0.isLetter || $0.isNumber) }
    }
}
