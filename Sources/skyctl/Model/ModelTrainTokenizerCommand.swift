import ArgumentParser
import Foundation
import SkyModel

/// `skyctl model train-tokenizer`: a byte-level BPE tokenizer (Qwen2 layout) learned from local text.
struct ModelTrainTokenizerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-tokenizer",
        abstract: "Train a byte-level BPE tokenizer.json from text files.",
        discussion: "The vocabulary counts the 256 byte tokens and the ChatML special tokens (<|endoftext|>, <|im_start|>, "
            + "<|im_end|>). Merges never cross word boundaries (Qwen2's pre-tokenizer, digits one by one), so a corpus with "
            + "few distinct words (templated or synthetic text) runs out of pairs before the size asked for: training then "
            + "stops early. Deterministic: the same corpus gives the same file."
    )

    @Option(parsing: .upToNextOption, help: "Text files to learn from.") var corpus: [String]
    @Option(help: "Vocabulary size to reach.") var vocabSize: Int
    @Option(help: "Output tokenizer.json.") var out: String

    func run() throws {
        guard !corpus.isEmpty else { throw ValidationError("--corpus needs at least one file") }
        guard vocabSize >= 256 + 3 else { throw ValidationError("--vocab-size must be at least 259 (256 bytes + 3 special tokens)") }
        let texts = try corpus.map { path in
            do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw ModelCLIError("\(path): cannot read corpus file as UTF-8: \(error.localizedDescription)")
            }
        }
        let data = try BPETrainer(vocabularySize: vocabSize).train(texts)
        let url = URL(fileURLWithPath: out)
        try data.write(to: url, options: .atomic)
        let tokenizer = try Tokenizer(data: data)
        let early = tokenizer.vocabularySize < vocabSize ? " (fewer than \(vocabSize): every pair left inside a word occurs less than twice; the corpus has few distinct words)" : ""
        print("wrote \(url.path): \(tokenizer.vocabularySize) tokens\(early)")
    }
}
