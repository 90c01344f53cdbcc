/// The element types Sky reads from and writes to safetensors files.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    /// IEEE float32.
    case f32 = "F32"
    /// IEEE float16, widened to float32 on read.
    case f16 = "F16"
    /// bfloat16 (the top half of a float32), widened on read.
    case bf16 = "BF16"

    /// Bytes per element.
    public var size: Int { self == .f32 ? 4 : 2 }

    /// Decodes `count` elements starting at `bytes` (any alignment) into float32.
    func decode(_ bytes: UnsafeRawPointer, count: Int, into out: UnsafeMutablePointer<Float>) {
        switch self {
        case .f32:
            // memcpy tolerates any alignment; a hostile file may place data at odd offsets.
            UnsafeMutableRawPointer(out).copyMemory(from: bytes, byteCount: count * 4)
        case .bf16:
            for i in 0..<count {
                let half = UInt32(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                out[i] = Float(bitPattern: half << 16)
            }
        case .f16:
            for i in 0..<count {
                out[i] = Self.halfToFloat(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
            }
        }
    }

    /// IEEE half → float, written out so it works where Swift's Float16 is unavailable.
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign: UInt32 = UInt32(h & 0x8000) << 16
        let exponent = UInt32((h >> 10) & 0x1F)
        let mantissa = UInt32(h & 0x3FF)
        if exponent == 0 {
            let magnitude = Float(mantissa) * 0x1p-24  // zero or subnormal
            return sign == 0 ? magnitude : -magnitude
        }
        if exponent == 31 { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
        return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
    }

    /// float → bfloat16 bits, rounding to nearest even as PyTorch does; NaN stays NaN.
    static func bfloat16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(bits >> 16) | 0x40 }
        let rounding: UInt32 = 0x7FFF + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }
}
