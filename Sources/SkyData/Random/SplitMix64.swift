/// SplitMix64 (Steele, Lea & Flood 2014): the seeded generator behind every random choice in SkyData.
///
/// Byte-identical output is a promise, so Sky never uses the standard library's random helpers
/// (`shuffled`, `Int.random(in:using:)`), whose algorithms may change between Swift releases.
/// Algorithm: `state += 0x9E3779B97F4A7C15`; `z = state`; `z = (z ^ z>>30) * 0xBF58476D1CE4E5B9`;
/// `z = (z ^ z>>27) * 0x94D049BB133111EB`; output `z ^ z>>31`.
/// Bounded integers use Lemire's multiply-high with rejection; doubles take the top 53 bits.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    public init(seed: UInt64) { state = seed }

    /// A generator for one (seed, stream, item) triple, so each record's choices do not depend on the others'.
    public init(seed: UInt64, stream: UInt64, item: UInt64) {
        var mixer = SplitMix64(seed: seed)
        let a = mixer.next()
        var second = SplitMix64(seed: a ^ (stream &* 0xD6E8FEB86659FD93))
        let b = second.next()
        var third = SplitMix64(seed: b ^ (item &* 0x9E3779B97F4A7C15))
        state = third.next()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (Lemire 2019, unbiased).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }

    /// A uniform integer in `range`.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in [0, 1).
    public mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool {
        p >= 1 || (p > 0 && unit() < p)
    }

    /// Fisher–Yates shuffle (Durstenfeld), from the last position down.
    public mutating func shuffle<T>(_ items: inout [T]) {
        guard items.count > 1 else { return }
        for i in stride(from: items.count - 1, to: 0, by: -1) {
            items.swapAt(i, below(i + 1))
        }
    }

    /// `count` distinct positions from `0..<total`, ascending (partial Fisher–Yates over the positions).
    public mutating func choose(_ count: Int, from total: Int) -> [Int] {
        var positions = Array(0..<total)
        let count = min(max(0, count), total)
        for i in 0..<count {
            positions.swapAt(i, i + below(total - i))
        }
        return positions[0..<count].sorted()
    }
}
