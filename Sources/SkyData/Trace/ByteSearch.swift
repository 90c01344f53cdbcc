/// Plain byte-string search over UTF-8, used where Foundation's `range(of:)` (UTF-16 on Linux) is too slow.
enum ByteSearch {
    /// Offset of the first occurrence of `needle` in `bytes`.
    static func first(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let head = needle.first, bytes.count >= needle.count else { return nil }
        var index = 0
        let limit = bytes.count - needle.count
        while index <= limit {
            if bytes[index] == head, matches(needle, in: bytes, at: index) { return index }
            index += 1
        }
        return nil
    }

    /// Offset of the last occurrence of `needle` in `bytes`.
    static func last(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let head = needle.first, bytes.count >= needle.count else { return nil }
        var index = bytes.count - needle.count
        while index >= 0 {
            if bytes[index] == head, matches(needle, in: bytes, at: index) { return index }
            index -= 1
        }
        return nil
    }

    private static func matches(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        for offset in 1..<needle.count where bytes[start + offset] != needle[offset] { return false }
        return true
    }
}
