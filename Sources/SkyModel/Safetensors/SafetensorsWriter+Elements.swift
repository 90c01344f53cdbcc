import Foundation

extension SafetensorsWriter {
    /// The little-endian element bytes of `values` in `dtype`, for writers that stream a file.
    static func encode(_ values: [Float], dtype: SafetensorsDType) -> Data {
        var out = Data(count: values.count * dtype.size)
        out.withUnsafeMutableBytes { raw in
            for (i, value) in values.enumerated() {
                switch dtype {
                case .f32: raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
                case .bf16: raw.storeBytes(of: SafetensorsDType.bfloat16Bits(value).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                case .f16: raw.storeBytes(of: Float16(value).bitPattern.littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                }
            }
        }
        return out
    }
}
