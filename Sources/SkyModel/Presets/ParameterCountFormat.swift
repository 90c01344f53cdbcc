/// Parameter counts as people write them: 1.2K, 25.3M, 494M.
public enum ParameterCountFormat {
    /// `count` with a K/M/B suffix and three significant digits.
    public static func short(_ count: Int) -> String {
        let value = Double(count)
        for (scale, suffix) in [(1e9, "B"), (1e6, "M"), (1e3, "K")] where value >= scale {
            let scaled = value / scale
            let digits = scaled >= 100 ? 0 : scaled >= 10 ? 1 : 2
            return formatted(scaled, digits: digits) + suffix
        }
        return "\(count)"
    }

    private static func formatted(_ value: Double, digits: Int) -> String {
        var factor = 1.0
        for _ in 0..<digits { factor *= 10 }
        let rounded = (value * factor).rounded() / factor
        return digits == 0 ? "\(Int(rounded))" : "\(rounded)"
    }
}
