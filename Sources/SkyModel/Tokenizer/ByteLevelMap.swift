/// GPT-2's reversible map between bytes and printable unicode scalars, used by byte-level BPE.
enum ByteLevelMap {
    /// byte → scalar: printable Latin-1 bytes map to themselves, the rest to U+0100 onwards in order.
    static let scalarForByte: [Unicode.Scalar] = {
        var printable = Array(0x21...0x7E) + Array(0xA1...0xAC) + Array(0xAE...0xFF)
        var scalars = printable
        var next = 0
        for byte in 0..<256 where !printable.contains(byte) {
            printable.append(byte)
            scalars.append(256 + next)
            next += 1
        }
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        for (byte, scalar) in zip(printable, scalars) { table[byte] = Unicode.Scalar(UInt32(scalar))! }
        return table
    }()

    /// scalar value → byte, for the 256 scalars above.
    static let byteForScalar: [UInt32: UInt8] = {
        var map: [UInt32: UInt8] = [:]
        for (byte, scalar) in scalarForByte.enumerated() { map[scalar.value] = UInt8(byte) }
        return map
    }()

    /// The byte-level form of `text`: one scalar per UTF-8 byte.
    static func encode(_ bytes: [UInt8]) -> String {
        var out = String.UnicodeScalarView()
        for byte in bytes { out.append(scalarForByte[Int(byte)]) }
        return String(out)
    }

    /// Bytes of one token, as Hugging Face's ByteLevel decoder does: mapped back when every scalar is
    /// in the map, the token's own UTF-8 otherwise.
    static func decode(_ token: String, into bytes: inout [UInt8]) {
        let start = bytes.count
        for scalar in token.unicodeScalars {
            guard let byte = byteForScalar[scalar.value] else {
                bytes.removeSubrange(start...)
                bytes.append(contentsOf: token.utf8)
                return
            }
            bytes.append(byte)
        }
    }
}
