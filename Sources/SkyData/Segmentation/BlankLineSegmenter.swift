/// The data's own convention: a step is a paragraph, and paragraphs are separated by blank lines.
///
/// A blank line is a newline, optional spaces/tabs/CR, and another newline; longer runs count once.
public struct BlankLineSegmenter: StepSegmenter {
    /// Creates the segmenter.
    public init() {}

    public func segment(_ thought: String) -> StepSplit {
        let (leading, body, trailing) = StepSplit.trim(thought)
        return StepSplit(leading: leading, steps: Self.paragraphs(body).map(String.init), trailing: trailing)
    }

    /// The paragraphs of `text`, each trimmed of surrounding whitespace, empty ones dropped.
    static func paragraphs(_ text: Substring) -> [Substring] {
        var result: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = utf8.startIndex
        while index < utf8.endIndex {
            guard utf8[index] == 0x0A else {
                index = utf8.index(after: index)
                continue
            }
            // Look past spaces, tabs and CRs for a second newline.
            var probe = utf8.index(after: index)
            while probe < utf8.endIndex, [0x20, 0x09, 0x0D].contains(utf8[probe]) { probe = utf8.index(after: probe) }
            if probe < utf8.endIndex, utf8[probe] == 0x0A {
                append(text[start..<index], to: &result)
                while probe < utf8.endIndex, [0x20, 0x09, 0x0D, 0x0A].contains(utf8[probe]) { probe = utf8.index(after: probe) }
                start = probe
                index = probe
            } else {
                index = utf8.index(after: index)
            }
        }
        append(text[start..<utf8.endIndex], to: &result)
        return result
    }

    private static func append(_ piece: Substring, to result: inout [Substring]) {
        let trimmed = StepSplit.trimmed(piece)
        if !trimmed.isEmpty { result.append(trimmed) }
    }
}
