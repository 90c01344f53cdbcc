import SkyModel

/// Fisher–Yates over `SeededGenerator`, written out because the standard library's `shuffle(using:)` does
/// not promise the same order across Swift versions, and a run resumed on another host must see the same order.
enum SeededShuffle {
    /// Stream of the held-out split; epochs use their own index as stream.
    static let heldOutStream: UInt64 = 0xE7A1

    /// Shuffles `items` in place, fixed by `seed` and `stream`.
    static func shuffle<T>(_ items: inout [T], seed: UInt64, stream: UInt64) {
        guard items.count > 1 else { return }
        var rng = SeededGenerator(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            let j = Int(rng.next() % UInt64(i + 1))
            items.swapAt(i, j)
        }
    }
}
