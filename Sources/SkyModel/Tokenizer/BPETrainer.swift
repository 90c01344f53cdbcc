public import Foundation

/// Trains a small byte-level BPE tokenizer (Qwen2 layout) from text, for models made with no downloads.
///
/// Counts pre-tokenized words, then repeatedly merges the most frequent adjacent pair (ties go to the
/// lexicographically smallest pair, so training is deterministic). Suited to the small vocabularies of
/// test and toy models: each merge rescans every distinct word.
public struct BPETrainer: Sendable {
    /// Vocabulary size to reach, counting the 256 byte tokens and the special tokens.
    public var vocabularySize: Int
    /// Added special tokens, given the ids after the learned vocabulary.
    public var specialTokens: [String]
    /// Pairs seen fewer times than this are never merged.
    public var minimumFrequency: Int

    /// The Qwen2 pre-tokenizer pattern (single digits, letters with one leading non-letter, …).
    public static let qwen2Pattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// A trainer for `vocabularySize` tokens with ChatML's special tokens by default.
    public init(vocabularySize: Int, specialTokens: [String] = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"], minimumFrequency: Int = 2) {
        self.vocabularySize = vocabularySize
        self.specialTokens = specialTokens
        self.minimumFrequency = minimumFrequency
    }

    /// The tokenizer.json document learned from `texts`.
    public func train(_ texts: [String]) throws -> Data {
        let splitter = PreTokenizer(steps: [.split(try PreTokenizer.compile(Self.qwen2Pattern, at: "trainer"), isolated: true, invert: false)])
        var wordCounts: [[UInt8]: Int] = [:]
        for text in texts {
            for piece in splitter.split(text.precomposedStringWithCanonicalMapping) { wordCounts[Array(piece.text.utf8), default: 0] += 1 }
        }
        var tokens = ByteLevelMap.scalarForByte.map { String($0) }  // id → token; ids 0..<256 are the bytes
        var words = wordCounts.map { (symbols: $0.key.map { Int32($0) }, count: $0.value) }
        var merges: [(Int32, Int32)] = []
        let target = vocabularySize - specialTokens.count
        while tokens.count < target {
            var pairCounts: [BPEModel.Pair: Int] = [:]
            for word in words where word.symbols.count > 1 {
                for i in 0..<(word.symbols.count - 1) {
                    pairCounts[BPEModel.Pair(left: word.symbols[i], right: word.symbols[i + 1]), default: 0] += word.count
                }
            }
            let best = pairCounts.max { a, b in
                a.value != b.value ? a.value < b.value
                    : (tokens[Int(a.key.left)], tokens[Int(a.key.right)]) > (tokens[Int(b.key.left)], tokens[Int(b.key.right)])
            }
            guard let best, best.value >= minimumFrequency else { break }
            let pair = best.key, merged = Int32(tokens.count)
            tokens.append(tokens[Int(pair.left)] + tokens[Int(pair.right)])
            merges.append((pair.left, pair.right))
            for w in words.indices where words[w].symbols.count > 1 {
                var symbols = words[w].symbols, i = 0
                while i < symbols.count - 1 {
                    if symbols[i] == pair.left, symbols[i + 1] == pair.right {
                        symbols[i] = merged
                        symbols.remove(at: i + 1)
                    }
                    i += 1
                }
                words[w].symbols = symbols
            }
        }
        return try document(tokens: tokens, merges: merges)
    }

    private func document(tokens: [String], merges: [(Int32, Int32)]) throws -> Data {
        var vocab: [String: Int] = [:]
        for (id, token) in tokens.enumerated() { vocab[token] = id }
        let added = specialTokens.enumerated().map { i, content in
            ["id": tokens.count + i, "content": content, "single_word": false, "lstrip": false, "rstrip": false,
             "normalized": false, "special": true] as [String: Any]
        }
        let byteLevel: [String: Any] = ["type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false]
        let json: [String: Any] = [
            "version": "1.0", "truncation": NSNull(), "padding": NSNull(), "added_tokens": added,
            "normalizer": ["type": "NFC"],
            "pre_tokenizer": ["type": "Sequence", "pretokenizers": [
                ["type": "Split", "pattern": ["Regex": Self.qwen2Pattern], "behavior": "Isolated", "invert": false], byteLevel,
            ]],
            "post_processor": byteLevel, "decoder": byteLevel,
            "model": ["type": "BPE", "dropout": NSNull(), "unk_token": NSNull(), "continuing_subword_prefix": NSNull(),
                      "end_of_word_suffix": NSNull(), "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
                      "vocab": vocab, "merges": merges.map { [tokens[Int($0.0)], tokens[Int($0.1)]] }] as [String: Any],
        ]
        return try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
    }
}
