import CSkyKernels

/// Loops over bfloat16 weights that widen each element to float32 in registers (the top half of a float32), so a
/// bf16 weight is read at half the bytes and never copied whole to float32. They are C (CSkyKernels) because Swift
/// is compiled for baseline x86-64 and these need AVX2 + FMA, chosen at run time, to keep up with memory.
enum BFloat16Kernels {
    /// dst[0..<count] = src widened.
    static func widen(_ src: UnsafePointer<UInt16>, _ dst: UnsafeMutablePointer<Float>, count: Int) {
        sky_bf16_widen(src, dst, count)
    }

    /// y[j] = Σᵢ w[j, i]·x[i] + beta·y[j] for the rows j in `rows` of w (·, c), one pass over each row.
    static func gemv(_ w: UnsafePointer<UInt16>, columns c: Int, rows: Range<Int>, x: UnsafePointer<Float>,
                     y: UnsafeMutablePointer<Float>, beta: Float) {
        sky_bf16_gemv(w, c, rows.lowerBound, rows.upperBound, x, y, beta)
    }

    /// Whether the AVX2 + FMA paths run here.
    static var usesAVX2: Bool { sky_kernels_use_avx2() != 0 }
}
