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
        #expect(dataset.sequences.isEmpty && dataset.records == 2 && dataset.skipped == [.promptTooLong: 1, .noLabels: 1])
    }

    /// A conversation whose user turn is `repeats` copies of a question: the prompt grows, the reply stays short.
    static func longPrompt(_ repeats: Int) -> [ChatMessage] {
        [.user(String(repeating: "What is 2 + 3? ", count: repeats)), .assistant("The answer is 5.")]
    }

    /// Tokens before the first reply token of `messages`: what right truncation must keep whole.
    static func promptTokens(_ messages: [ChatMessage]) -> Int {
        Self.tokenizer.encodeChat(messages).assistantMask.firstIndex(of: true)!
    }

    @Test func promptsLongerThanMaxLengthSayHowLongAndWhatToChange() throws {
        let encoder = SequenceEncoder(tokenizer: Self.tokenizer, maxLength: 16, truncation: .right)
        let lengths = [4, 6, 9].map { Self.promptTokens(Self.longPrompt($0)) }
        #expect(lengths.allSatisfy { $0 > 16 })
        #expect(throws: SequenceEncoder.Skipped(reason: .promptTooLong, tokens: lengths[0], maxLength: 16)) {
            try encoder.encodeOrExplain(Self.longPrompt(4)).get()
        }
        var dataset = EncodedDataset()
        for repeats in [9, 4, 6] { dataset.append(Self.longPrompt(repeats), encoder: encoder) }
        #expect(dataset.skips.reasons == [.promptTooLong: SkippedRecords.Tally(count: 3, tokens: lengths[0]...lengths[2], maxLength: 16)])
        let error = try #require(throws: NoTrainingSequences.self) { try dataset.requireSequences() }
        #expect(error.description == "no training sequences: 3 of 3 records: the prompt alone is \(lengths[0])–\(lengths[2]) tokens, "
            + "more than maxLength 16, so no assistant token is left to learn; raise sequences.maxLength or use truncation: left")

        // Keeping the end instead keeps the reply: what the message advises.
        var left = EncodedDataset()
        for repeats in [9, 4, 6] { left.append(Self.longPrompt(repeats), encoder: SequenceEncoder(tokenizer: Self.tokenizer, maxLength: 16, truncation: .left)) }
        #expect(left.sequences.count == 3 && left.skips.count == 0)
        #expect(throws: Never.self) { try left.requireSequences() }
    }

    @Test func skippedRecordsAreAccountedForWhenOthersSurvive() throws {
        let encoder = SequenceEncoder(tokenizer: Self.tokenizer, maxLength: 48, truncation: .right)
        var dataset = EncodedDataset()
        for repeats in [1, 5, 1, 5, 1] { dataset.append(Self.longPrompt(repeats), encoder: encoder) }
        #expect(dataset.sequences.count == 3 && dataset.records == 5)
        #expect(throws: Never.self) { try dataset.requireSequences() }
        let length = Self.promptTokens(Self.longPrompt(5))
        #expect(dataset.counts.skips == dataset.skips && dataset.counts.skipped == [.promptTooLong: 2])
        #expect(dataset.skips.description == "skipped 2 of 5 records: the prompt alone is \(length) tokens, more than maxLength 48, "
            + "so no assistant token is left to learn; raise sequences.maxLength or use truncation: left")
        #expect(EncodedDataset().skips.description == "no record skipped")
    }

    @Test func everySkipReasonIsExplainedMostRecordsFirst() throws {
        let long = Self.longPrompt(5), length = Self.tokenizer.encodeChat(long).ids.count
        var dataset = EncodedDataset()
        dataset.append(long, encoder: SequenceEncoder(tokenizer: Self.tokenizer, maxLength: 16, truncation: .drop))
        // A user turn after the reply: keeping the last 8 tokens keeps none of the reply.
        let tail = [ChatMessage.user("Hi"), .assistant("The answer is 5."), .user(String(repeating: "Think first. ", count: 6))]
        let tailMask = Self.tokenizer.encodeChat(tail).assistantMask, tailTokens = tailMask.count - 1 - tailMask.lastIndex(of: true)!
        dataset.append(tail, encoder: SequenceEncoder(tokenizer: Self.tokenizer, maxLength: 8, truncation: .left))
        dataset.append([.user("What is 2 + 3?")], encoder: SequenceEncoder(tokenizer: Self.tokenizer, maxLength: 512))
        dataset.append([.user("Think first.")], encoder: SequenceEncoder(tokenizer: Self.tokenizer, maxLength: 512))
        let error = try #require(throws: NoTrainingSequences.self) { try dataset.requireSequences() }
        #expect(error.skipped.explanations == [
            "2 of 4 records: no token carries loss (no assistant reply); give every record an assistant turn or set sequences.lossOn: all",
            "1 of 4 records: the conversation is \(length) tokens, more than maxLength 16, and truncation: drop skips it; "
                + "raise sequences.maxLength or use truncation: right or left",
            "1 of 4 records: the turns after the last assistant reply are \(tailTokens) tokens, so with maxLength 8 truncation: left "
                + "keeps no assistant token; raise sequences.maxLength or use truncation: right",
        ])
        #expect(error.description == "no training sequences: " + error.skipped.explanations.joined(separator: ". "))
        #expect(NoTrainingSequences(skipped: EncodedDataset().skips).description == "no training sequences: the dataset has no records")
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
