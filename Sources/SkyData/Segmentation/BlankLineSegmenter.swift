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
        let cuts = text.utf8.withContiguousStorageIfAvailable(blankLineCuts) ?? Array(text.utf8).withUnsafeBufferPointer(blankLineCuts)
        var result: [Substring] = []
        result.reserveCapacity(cuts.count)
        let utf8 = text.utf8
        for cut in cuts {
            let start = utf8.index(utf8.startIndex, offsetBy: cut.lowerBound)
            let piece = StepSplit.trimmed(text[start..<utf8.index(start, offsetBy: cut.count)])
            if !piece.isEmpty { result.append(piece) }
        }
        return result
    }

    /// Byte ranges between blank lines: a newline, optional spaces/tabs/CRs, another newline.
    private static func blankLineCuts(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start = 0
        var index = 0
        while index < bytes.count {
            guard bytes[index] == 0x0A else {
                index += 1
                continue
            }
            var probe = index + 1
            while probe < bytes.count, bytes[probe] == 0x20 || bytes[probe] == 0x09 || bytes[probe] == 0x0D { probe += 1 }
            if probe < bytes.count, bytes[probe] == 0x0A {
                ranges.append(start..<index)
                while probe < bytes.count, bytes[probe] == 0x20 || bytes[probe] == 0x09 || bytes[probe] == 0x0D || bytes[probe] == 0x0A {
                    probe += 1
                }
                start = probe
                index = probe
            } else {
                index += 1
            }
        }
        ranges.append(start..<bytes.count)
        return ranges
    }
}
