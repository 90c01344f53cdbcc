import Foundation

/// Splits normalised text into the pieces BPE runs on, as Hugging Face's pre-tokenizers do.
struct PreTokenizer: @unchecked Sendable {  // NSRegularExpression is immutable and thread-safe
    /// A piece of text and the UTF-8 offset where it starts in the text given to `split`.
    struct Piece {
        var text: String
        var start: Int
        /// True when ByteLevel's add_prefix_space put a space in front that is not in the source.
        var prefixSpace = false
    }

    enum Step {
        /// Regex split; `isolated` keeps matches as pieces, otherwise they are removed.
        case split(NSRegularExpression, isolated: Bool, invert: Bool)
        /// ByteLevel: optional GPT-2 regex split and prefix space; the byte mapping itself happens in BPE.
        case byteLevel(addPrefixSpace: Bool, regex: NSRegularExpression?)
    }

    let steps: [Step]

    static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    func split(_ text: String) -> [Piece] {
        var pieces = [Piece(text: text, start: 0)]
        for step in steps {
            var next: [Piece] = []
            next.reserveCapacity(pieces.count)
            for piece in pieces {
                switch step {
                case let .split(regex, isolated, invert):
                    Self.apply(regex, to: piece, keepMatches: invert ? true : isolated, keepGaps: invert ? isolated : true, into: &next)
                case let .byteLevel(addPrefixSpace, regex):
                    var piece = piece
                    if addPrefixSpace, !piece.prefixSpace, piece.start == 0, piece.text.first != " " { piece.prefixSpace = true }
                    if let regex { Self.apply(regex, to: piece, keepMatches: true, keepGaps: true, into: &next) } else { next.append(piece) }
                }
            }
            pieces = next
        }
        return pieces
    }

    /// Cuts `piece` at the regex's matches, walking indices forward so offsets cost O(length) in total.
    private static func apply(_ regex: NSRegularExpression, to piece: Piece, keepMatches: Bool, keepGaps: Bool, into out: inout [Piece]) {
        let text = piece.text
        let matches = regex.matches(in: text, range: NSRange(location: 0, length: text.utf16.count))
        var cursor = text.startIndex
        var cursorOffset = piece.start
        func emit(_ range: Range<String.Index>, _ keep: Bool, first: Bool) {
            let length = text.utf8.distance(from: range.lowerBound, to: range.upperBound)
            if keep, length > 0 {
                out.append(Piece(text: String(text[range]), start: cursorOffset, prefixSpace: first && piece.prefixSpace))
            }
            cursor = range.upperBound
            cursorOffset += length
        }
        var first = true
        for match in matches {
            guard let range = Range(match.range, in: text) else { continue }
            if cursor < range.lowerBound {
                emit(cursor..<range.lowerBound, keepGaps, first: first)
                first = false
            }
            emit(range, keepMatches, first: first)
            first = false
        }
        if cursor < text.endIndex { emit(cursor..<text.endIndex, keepGaps, first: first) }
    }

    /// Rewrites `\s` and `\S` to the whitespace Oniguruma (which Hugging Face uses) means: ICU's `\s` lacks
    /// U+000B and U+0085.
    static func onigurumaCompatible(_ pattern: String) -> String {
        let space = #"\t\n\x{0B}\f\r\x{85}\p{Z}"#
        var out = ""
        var inClass = 0
        var chars = pattern.makeIterator()
        while let c = chars.next() {
            if c == "\\", let n = chars.next() {
                switch (n, inClass > 0) {
                case ("s", false): out += "[\(space)]"
                case ("s", true): out += space
                case ("S", false): out += "[^\(space)]"
                default: out += "\\\(n)"
                }
                continue
            }
            if c == "[" { inClass += 1 } else if c == "]", inClass > 0 { inClass -= 1 }
            out.append(c)
        }
        return out
    }

    static func compile(_ pattern: String, at path: String) throws -> NSRegularExpression {
        do { return try NSRegularExpression(pattern: onigurumaCompatible(pattern)) } catch {
            throw TokenizerError.invalidSpec(at: path, problem: "regex does not compile: \(error)")
        }
    }
}
