/// Corrupted digits (paper §4): every match of the paper's `\b\d+(\.\d+)?\b` in the assistant turn (see
/// `PaperNumberPattern`) is, with probability r, replaced by a uniform random integer 0–10.
///
/// Counters: `numbersSeen`, `numbersReplaced` (drawn for replacement), `numbersChanged` (the new text
/// differs) and `charactersChanged` (differing positions plus the length difference).
public struct CorruptDigits: Perturbation {
    public let name = "corrupt_digits"
    public let ratio: Double

    /// Creates the perturbation.
    public init(ratio: Double) {
        self.ratio = ratio
    }

    public func apply(to record: inout DatasetRecord, index: Int, rng: inout SplitMix64) -> SampleEffect {
        guard let response = record.response else { return .untouched }
        let bytes = Array(response.utf8)
        let numbers = PaperNumberPattern.matches(in: response)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var copied = 0
        var replaced = 0
        var changed = 0
        var characters = 0
        for range in numbers {
            guard rng.chance(ratio) else { continue }
            let new = Array(String(rng.int(in: 0...10)).utf8)
            replaced += 1
            let old = bytes[range]
            let differing = zip(old, new).filter { $0 != $1 }.count + abs(old.count - new.count)
            if differing > 0 {
                changed += 1
                characters += differing
            }
            output.append(contentsOf: bytes[copied..<range.lowerBound])
            output.append(contentsOf: new)
            copied = range.upperBound
        }
        if changed > 0 {
            output.append(contentsOf: bytes[copied...])
            record.response = String(decoding: output, as: UTF8.self)
        }
        return SampleEffect(changed: changed > 0, counters: [
            "numbersSeen": numbers.count, "numbersReplaced": replaced,
            "numbersChanged": changed, "charactersChanged": characters,
        ])
    }
}
