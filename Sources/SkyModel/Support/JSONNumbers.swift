import Foundation

/// Strict reading of numbers from `JSONSerialization` output, where `true`, `1` and `1.0` all arrive as NSNumber.
enum JSONNumbers {
    /// True for JSON `true`/`false` (Foundation marks them with the char type code).
    static func isBool(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    /// A whole number within ±2⁵², or nil for anything else (booleans, fractions, strings, huge values).
    static func integer(_ value: Any?) -> Int? {
        guard let value, let number = value as? NSNumber, !isBool(value) else { return nil }
        let double = number.doubleValue
        guard double.rounded() == double, abs(double) < 0x1p52 else { return nil }
        return number.int64Value == Int64(double) ? Int(number.int64Value) : nil
    }

    /// Any JSON number as a Double (not booleans).
    static func double(_ value: Any?) -> Double? {
        guard let value, let number = value as? NSNumber, !isBool(value) else { return nil }
        return number.doubleValue
    }

    /// A list of whole numbers, or nil if any element is not one.
    static func integers(_ value: Any?) -> [Int]? {
        guard let list = value as? [Any] else { return nil }
        var result: [Int] = []
        result.reserveCapacity(list.count)
        for item in list {
            guard let i = integer(item) else { return nil }
            result.append(i)
        }
        return result
    }
}
