/// An assistant turn split into its Thought and Solution sections, keeping every byte around them.
///
/// `rendered` gives back the original text exactly until a section is changed. A turn without
/// markers is one Thought block with no Solution, so it is handled rather than rejected.
public struct ReasoningTrace: Sendable, Hashable {
    /// Text before `<|begin_of_thought|>` (usually empty).
    public var prefix: String
    /// Everything between the Thought markers, separators included.
    public var thought: String
    /// Text between `<|end_of_thought|>` and `<|begin_of_solution|>`.
    public var interlude: String
    /// Everything between the Solution markers, or nil when there is no Solution section.
    public var solution: String?
    /// Text after `<|end_of_solution|>`.
    public var suffix: String
    /// Whether the Thought markers were present.
    public let hasThoughtMarkers: Bool
    /// Whether the Solution closed with `<|end_of_solution|>`.
    private let closesSolution: Bool

    /// Parses an assistant turn.
    public init(parsing text: String) {
        typealias M = ReasoningMarkers
        guard let begin = Self.find(M.beginThought, in: text[...]) else {
            self.init(prefix: "", thought: text, interlude: "", solution: nil, suffix: "", marked: false, closed: false)
            return
        }
        let afterBegin = text[begin.upperBound...]
        let end = Self.find(M.endThought, in: afterBegin)
        let thought = String(afterBegin[..<(end?.lowerBound ?? afterBegin.endIndex)])
        var interlude = ""
        var solution: String?
        var suffix = ""
        var closed = false
        if let end {
            let rest = text[end.upperBound...]
            if let open = Self.find(M.beginSolution, in: rest) {
                interlude = String(rest[..<open.lowerBound])
                let body = rest[open.upperBound...]
                if let close = Self.find(M.endSolution, in: body, last: true) {
                    solution = String(body[..<close.lowerBound])
                    suffix = String(body[close.upperBound...])
                    closed = true
                } else {
                    solution = String(body)
                }
            } else {
                interlude = String(rest)
            }
        }
        self.init(prefix: String(text[..<begin.lowerBound]), thought: thought, interlude: interlude,
                  solution: solution, suffix: suffix, marked: true, closed: closed, endsThought: end != nil)
    }

    private let endsThought: Bool

    /// Byte-wise search for a marker. Foundation's `range(of:)` goes through UTF-16 on Linux
    /// and took 40% of a perturbation run.
    private static func find(_ marker: String, in text: Substring, last: Bool = false) -> Range<String.Index>? {
        let needle = Array(marker.utf8)
        let search = { (bytes: UnsafeBufferPointer<UInt8>) -> Int? in
            last ? ByteSearch.last(needle, in: bytes) : ByteSearch.first(needle, in: bytes)
        }
        let offset = text.utf8.withContiguousStorageIfAvailable(search) ?? Array(text.utf8).withUnsafeBufferPointer(search)
        guard let offset else { return nil }
        let start = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
        return start..<text.utf8.index(start, offsetBy: needle.count)
    }

    private init(prefix: String, thought: String, interlude: String, solution: String?, suffix: String,
                 marked: Bool, closed: Bool, endsThought: Bool = false) {
        self.prefix = prefix
        self.thought = thought
        self.interlude = interlude
        self.solution = solution
        self.suffix = suffix
        self.hasThoughtMarkers = marked
        self.closesSolution = closed
        self.endsThought = endsThought
    }

    /// The assistant turn with the current sections, markers where they were.
    public var rendered: String {
        typealias M = ReasoningMarkers
        guard hasThoughtMarkers else { return thought }
        var text = prefix + M.beginThought + thought
        guard endsThought else { return text }
        text += M.endThought + interlude
        if let solution {
            text += M.beginSolution + solution
            if closesSolution { text += M.endSolution + suffix }
        }
        return text
    }

    /// The text a final answer is read from: the Solution when there is one, else the whole turn.
    public var answerText: String { solution ?? thought }
}
