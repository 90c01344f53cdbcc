extension EvalSampler {
    /// The seed of sample `index` of problem `key` under `base`: FNV-1a of the key's UTF-8 and the index,
    /// each mixed through SplitMix64's finaliser, so it depends on nothing else (batching, order, resume).
    public static func sampleSeed(base: UInt64, problemKey key: String, sample index: Int) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return mix(base ^ mix(hash &+ mix(UInt64(truncatingIfNeeded: index) &+ 0x9E37_79B9_7F4A_7C15)))
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
