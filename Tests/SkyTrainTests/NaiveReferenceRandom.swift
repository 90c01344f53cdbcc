import SkyModel

/// Seeded uniform values in [−0.5, 0.5).
enum NaiveReferenceRandom {
    static func uniform(_ count: Int, seed: UInt64) -> [Float] {
        var rng = SeededGenerator(seed: seed)
        return (0..<count).map { _ in Float(rng.next() >> 40) * 0x1p-24 - 0.5 }
    }
}
