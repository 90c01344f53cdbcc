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
    /// Token of each byte's byte-level character, or −1 when the vocabulary lacks it.
    let byteTokens: [Int32]

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
        byteTokens = ByteLevelMap.scalarForByte.map { vocab[String($0)] ?? -1 }
    }

    /// Token ids for one pre-tokenized piece given as UTF-8 bytes, each with its length in bytes.
    func encode(_ piece: [UInt8], into ids: inout [Int32], lengths: inout [Int]) {
        if ignoreMerges, let id = vocab[ByteLevelMap.encode(piece)] {
            ids.append(id)
            lengths.append(piece.count)
            return
        }
        var symbols: [Int32] = []
        var sizes: [Int] = []
        symbols.reserveCapacity(piece.count)
        sizes.reserveCapacity(piece.count)
        var pending = 0
        for byte in piece {
            // Without an unknown token Hugging Face drops characters missing from the vocabulary.
            let id = byteTokens[Int(byte)]
            pending += 1
            guard id >= 0 else { continue }
            symbols.append(id)
            sizes.append(pending)
            pending = 0
        }
        if symbols.count > 1 { mergeAll(&symbols, &sizes) }
        ids.append(contentsOf: symbols)
        lengths.append(contentsOf: sizes)
    }

    /// Hugging Face's `Word::merge_all`: a priority queue of (rank, position) over a linked list of symbols,
    /// so long pieces cost O(n log n) rather than a scan per merge.
    private func mergeAll(_ symbols: inout [Int32], _ sizes: inout [Int]) {
        let n = symbols.count
        var next = Array(1...n), previous = Array(-1..<(n - 1))
        next[n - 1] = -1
        var queue = MergeQueue()
        for i in 0..<(n - 1) {
            if let merge = merges[Pair(left: symbols[i], right: symbols[i + 1])] { queue.push(rank: merge.rank, position: i) }
        }
        while let (rank, i) = queue.pop() {
            // Stale entries: the symbol was absorbed, or its right neighbour changed since the push.
            guard sizes[i] > 0, next[i] >= 0 else { continue }
            let j = next[i]
            guard let merge = merges[Pair(left: symbols[i], right: symbols[j])], merge.rank == rank else { continue }
            symbols[i] = merge.result
            sizes[i] += sizes[j]
            sizes[j] = 0
            next[i] = next[j]
            if next[j] >= 0 { previous[next[j]] = i }
            let p = previous[i]
            if p >= 0, let left = merges[Pair(left: symbols[p], right: symbols[i])] { queue.push(rank: left.rank, position: p) }
            if next[i] >= 0, let right = merges[Pair(left: symbols[i], right: symbols[next[i]])] { queue.push(rank: right.rank, position: i) }
        }
        var kept = 0
        for i in 0..<n where sizes[i] > 0 {
            symbols[kept] = symbols[i]
            sizes[kept] = sizes[i]
            kept += 1
        }
        symbols.removeSubrange(kept...)
        sizes.removeSubrange(kept...)
    }
}

/// A binary min-heap of merges keyed by (rank, position), packed into one integer for cheap comparisons.
private struct MergeQueue {
    private var heap: [UInt64] = []

    mutating func push(rank: Int32, position: Int) {
        heap.append(UInt64(UInt32(bitPattern: rank)) << 32 | UInt64(position))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if heap[parent] <= heap[child] { break }
            heap.swapAt(parent, child)
            child = parent
        }
    }

    mutating func pop() -> (rank: Int32, position: Int)? {
        guard let top = heap.first else { return nil }
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count, heap[left] < heap[smallest] { smallest = left }
                if right < heap.count, heap[right] < heap[smallest] { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return (Int32(bitPattern: UInt32(top >> 32)), Int(top & 0xFFFF_FFFF))
    }
}
