/// Reflection and backtracking phrases, and matching them at the head of a sentence.
public struct ReflectionCues: Sendable, Hashable {
    /// The paper's examples ("wait", "let me think again", "but", "however", "alternatively") and the usual cues.
    public static let defaults = [
        "Wait", "But", "However", "Alternatively", "Let me think again", "Let me check", "Let me verify",
        "Let me double-check", "Let me double check", "Let me reconsider", "Let me re-examine", "Hmm",
        "On second thought", "Actually", "Hold on", "No,",
    ]

    /// Lowercased cues, longest first so "let me think again" wins over a shorter prefix.
    private let lowered: [[UInt8]]

    /// Creates a matcher for `cues` (matched case-insensitively).
    public init(_ cues: [String] = Self.defaults) {
        lowered = cues.map { Array($0.lowercased().utf8) }.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    /// The cue `sentence` starts with (after leading whitespace and opening quotes/asterisks), if any.
    ///
    /// A cue must end at a word boundary: "But" heads "But then", not "Butter".
    public func cue(heading sentence: Substring) -> String? {
        let bytes = Array(sentence.utf8.prefix(64))
        var start = 0
        while start < bytes.count, [0x20, 0x09, 0x0A, 0x0D, 0x22, 0x2A, 0x27].contains(bytes[start]) { start += 1 }
        for cue in lowered where bytes.count - start >= cue.count {
            var matches = true
            for (offset, expected) in cue.enumerated() where Self.lower(bytes[start + offset]) != expected {
                matches = false
                break
            }
            guard matches else { continue }
            let next = start + cue.count
            if next < bytes.count, Self.isWordByte(bytes[next]), Self.isWordByte(cue[cue.count - 1]) { continue }
            return String(decoding: cue, as: UTF8.self)
        }
        return nil
    }

    private static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
    }
}
