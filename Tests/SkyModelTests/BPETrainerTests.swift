import Foundation
import SkyModel
import Testing

@Suite struct BPETrainerTests {
    static let corpus = [
        "The quick brown fox jumps over the lazy dog. The dog sleeps; the fox runs.",
        "Return your final response within \\boxed{}. What is 12 + 30? The answer is 42.",
        "<|begin_of_thought|>\n\nWait, let me think again. However, the sum is 10.\n\n<|end_of_thought|>",
        "日本語のテキスト、日本語のテキスト。 café café 🎉🎉",
    ]

    @Test func trainedTokenizerLoadsRoundTripsAndCompresses() throws {
        let data = try BPETrainer(vocabularySize: 320).train(Self.corpus)
        let tokenizer = try Tokenizer(data: data)
        #expect(tokenizer.vocabularySize == 320)
        for text in Self.corpus + ["unseen words ☃ 12345", ""] {
            #expect(tokenizer.decode(tokenizer.encode(text)) == text)
        }
        let text = Self.corpus[0]
        #expect(tokenizer.encode(text).count < text.utf8.count * 3 / 4)
        #expect(tokenizer.encode("<|im_start|>user<|im_end|>").first == tokenizer.id(of: "<|im_start|>"))
    }

    @Test func trainingIsDeterministicAndStopsAtMinimumFrequency() throws {
        let a = try BPETrainer(vocabularySize: 300).train(Self.corpus)
        #expect(try BPETrainer(vocabularySize: 300).train(Self.corpus) == a)
        // A corpus with no repeated pair cannot grow the vocabulary beyond bytes and specials.
        let tiny = try Tokenizer(data: try BPETrainer(vocabularySize: 1000).train(["ab"]))
        #expect(tiny.vocabularySize == 256 + 3)
    }
}
