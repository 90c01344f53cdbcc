import Foundation
import SkyModel
import SkyTrain
import Testing

/// Conversations → sequences: the chat template's assistant mask, the truncation policies, skipped records.
@Suite struct SequenceEncoderTests {
    static let tokenizer = try! Tokenizer(data: try! BPETrainer(vocabularySize: 300).train([
        "What is 2 + 3? The answer is 5.", "Think first. Then answer.", "user assistant system",
    ]))
    static let conversation: [ChatMessage] = [.system("Think first."), .user("What is 2 + 3?"), .assistant("The answer is 5.")]

    @Test func onlyTheReplyAndItsEndOfTurnCarryLoss() throws {
        let encoder = SequenceEncoder(tokenizer: Self.tokenizer, maxLength: 512)
        let sequence = try encoder.encode(Self.conversation).get().sequence
        let labelled = sequence.labels.filter { $0 != LossMask.ignore }
        #expect(Self.tokenizer.decode(labelled) == "The answer is 5.<|im_end|>")
        let everything = try SequenceEncoder(tokenizer: Self.tokenizer, maxLength: 512, assistantOnly: false)
            .encode(Self.conversation).get().sequence
        #expect(everything.labels == everything.inputIds && everything.inputIds == sequence.inputIds)
    }

    @Test func truncationKeepsTheStartOrTheEndOrDropsTheRecord() throws {
        let full = try SequenceEncoder(tokenizer: Self.tokenizer, maxLength: 512).encode(Self.conversation).get().sequence
        let limit = full.inputIds.count - 3
        let right = try SequenceEncoder(tokenizer: Self.tokenizer, maxLength: limit, truncation: .right).encode(Self.conversation).get()
        #expect(right.truncated && right.sequence.inputIds == Array(full.inputIds.prefix(limit)))
        let left = try SequenceEncoder(tokenizer: Self.tokenizer, maxLength: limit, truncation: .left).encode(Self.conversation).get()
        #expect(left.sequence.inputIds == Array(full.inputIds.suffix(limit)) && left.sequence.labels == Array(full.labels.suffix(limit)))
        #expect(throws: SequenceEncoder.Skip.tooLong) {
            try SequenceEncoder(tokenizer: Self.tokenizer, maxLength: limit, truncation: .drop).encode(Self.conversation).get()
        }
    }

    @Test func recordsWithoutLabelsAreSkippedAndCounted() {
        let encoder = SequenceEncoder(tokenizer: Self.tokenizer, maxLength: 6, truncation: .right)
        var dataset = EncodedDataset()
        dataset.append(Self.conversation, encoder: encoder)  // the reply starts after token 6
        dataset.append([.user("What is 2 + 3?")], encoder: SequenceEncoder(tokenizer: Self.tokenizer, maxLength: 512))
        #expect(dataset.sequences.isEmpty && dataset.records == 2 && dataset.skipped == [.noLabels: 2])
    }

    @Test func theHeldOutSplitIsSeededAndDisjoint() {
        var dataset = EncodedDataset()
        let encoder = SequenceEncoder(tokenizer: Self.tokenizer, maxLength: 512)
        for i in 0..<20 { dataset.append([.user("What is \(i)?"), .assistant("The answer is \(i).")], encoder: encoder) }
        let (train, heldOut) = dataset.split(heldOut: 0.2, seed: 3)
        #expect(heldOut.count == 4 && train.count == 16)
        #expect(Set(train.map(\.inputIds)).isDisjoint(with: heldOut.map(\.inputIds)))
        #expect(dataset.split(heldOut: 0.2, seed: 3).heldOut == heldOut)
        #expect(dataset.split(heldOut: 0.2, seed: 4).heldOut != heldOut)
        #expect(dataset.split(heldOut: 0, seed: 3).heldOut.isEmpty)
    }
}
