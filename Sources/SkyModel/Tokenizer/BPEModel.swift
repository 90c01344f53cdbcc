/// Byte-pair encoding over a vocabulary and ranked merges, as Hugging Face's `BPE` model applies them.
struct BPEModel: Sendable {
    struct Pair: Hashable {
        let left: Int32
        let right: Int32
    }

    struct Merge {
        let rank: Int32
        let result: Int32
    }

    let vocab: [String: Int32]
    let merges: [Pair: Merge]
    /// Llama 3: a piece that is itself a token is not split and re-merged.
    let ignoreMerges: Bool

    /// Parses merges in either file format: "a b" strings or ["a", "b"] pairs.
    init(vocab: [String: Int32], merges rawMerges: [Any], ignoreMerges: Bool) throws {
        var merges: [Pair: Merge] = [:]
        merges.reserveCapacity(rawMerges.count)
        for (rank, raw) in rawMerges.enumerated() {
            let parts: [String]
            if let text = raw as? String {
                parts = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            } else if let list = raw as? [Any], let strings = list as? [String] {
                parts = strings
            } else {
                throw TokenizerError.invalidSpec(at: "model.merges[\(rank)]", problem: "neither \"a b\" nor [\"a\", \"b\"]")
            }
            guard parts.count == 2 else {
                throw TokenizerError.invalidSpec(at: "model.merges[\(rank)]", problem: "\(parts.count) parts instead of 2")
            }
            guard let left = vocab[parts[0]], let right = vocab[parts[1]], let result = vocab[parts[0] + parts[1]] else {
                throw TokenizerError.invalidSpec(at: "model.merges[\(rank)]", problem: "'\(parts[0])' + '\(parts[1])' uses a token missing from the vocabulary")
            }
            let pair = Pair(left: left, right: right)
            if merges[pair] == nil { merges[pair] = Merge(rank: Int32(rank), result: result) }
        }
        self.vocab = vocab
        self.merges = merges
        self.ignoreMerges = ignoreMerges
    }

    /// Token ids for one pre-tokenized piece (already byte-mapped), each with its length in source bytes.
    func encode(_ piece: String, into ids: inout [Int32], lengths: inout [Int]) {
        if ignoreMerges, let id = vocab[piece] {
            ids.append(id)
            lengths.append(piece.unicodeScalars.count)
            return
        }
        var symbols: [Int32] = []
        var sizes: [Int] = []
        symbols.reserveCapacity(piece.unicodeScalars.count)
        for scalar in piece.unicodeScalars {
            // Without an unknown token Hugging Face drops characters missing from the vocabulary.
            guard let id = vocab[String(scalar)] else { continue }
            symbols.append(id)
            sizes.append(1)
        }
        // Repeatedly apply the best-ranked merge, leftmost first: the order HF's priority queue gives.
        while symbols.count > 1 {
            var best = Int32.max, at = -1
            for i in 0..<(symbols.count - 1) {
                if let merge = merges[Pair(left: symbols[i], right: symbols[i + 1])], merge.rank < best {
                    best = merge.rank
                    at = i
                }
            }
            if at < 0 { break }
            var i = at
            let target = Pair(left: symbols[at], right: symbols[at + 1])
            let result = merges[target]!.result
            // Merge every non-overlapping occurrence of the same pair, left to right.
            while i < symbols.count - 1 {
                if symbols[i] == target.left, symbols[i + 1] == target.right {
                    symbols[i] = result
                    sizes[i] += sizes[i + 1]
                    symbols.remove(at: i + 1)
                    sizes.remove(at: i + 1)
                }
                i += 1
            }
        }
        ids.append(contentsOf: symbols)
        lengths.append(contentsOf: sizes)
    }
}
