import Foundation

extension SafetensorsWriter {
    /// The little-endian element bytes of `values` in `dtype` (F32 or BF16), for writers that stream a file.
    static func encode(_ values: [Float], dtype: SafetensorsDType) -> Data {
        var out = Data(count: values.count * dtype.size)
        out.withUnsafeMutableBytes { raw in
            for (i, value) in values.enumerated() {
                if dtype == .f32 {
                    raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
                } else {
                    raw.storeBytes(of: SafetensorsDType.bfloat16Bits(value).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                }
            }
        }
        return out
    }
}
