/// Vectorised float32 exp for the softmax, SiLU and cross-entropy loops (the scalar libm call dominated them).
///
/// Cephes' expf: n = round(x / ln 2), r = x − n·ln 2 in two parts, a degree-6 polynomial for e^r, scaled
/// by 2ⁿ through the exponent bits. Relative error stays within about 2 ulp across the float range.
enum VectorMath {
    @inline(__always)
    static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
        // Only lane-wise arithmetic and bit casts: Swift's generic SIMD rounding and conversions are not
        // lowered to vector instructions and made this slower than libm.
        let low = SIMD8<Float>(repeating: -87.33654), high = SIMD8<Float>(repeating: 88.72283)
        var clamped = x
        clamped.replace(with: low, where: x .< low)
        clamped.replace(with: high, where: x .> high)
        let magic = SIMD8<Float>(repeating: 12_582_912)  // 1.5·2²³: adding it rounds to an integer
        let shifted = clamped * 1.442_695_04 + magic
        let n = shifted - magic
        let r = clamped - n * 0.693_359_375 - n * -2.121_944_40e-4
        var p = SIMD8<Float>(repeating: 1.987_569_150_0e-4)
        p = p * r + 1.398_199_950_7e-3
        p = p * r + 8.333_451_907_3e-3
        p = p * r + 4.166_579_589_4e-2
        p = p * r + 1.666_666_545_9e-1
        p = p * r + 5.000_000_120_1e-1
        let e = p * r * r + r + 1
        // The low mantissa bits of `shifted` hold n; move n + 127 into the exponent field.
        let bits = unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- unsafeBitCast(magic, to: SIMD8<Int32>.self)
        return e * unsafeBitCast((bits &+ 127) &<< 23, to: SIMD8<Float>.self)
    }

    /// exp of one float through the vector path, so tails agree with the bulk.
    @inline(__always)
    static func exp(_ x: Float) -> Float {
        exp(SIMD8<Float>(repeating: x))[0]
    }

    /// out[i] = exp(x[i] − shift) over n floats; returns the sum. Entries below −87 give ~1e-38, not 0.
    @inline(__always)
    static func expShifted(_ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, shift: Float) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        var i = 0
        let src = UnsafeRawPointer(x), dst = UnsafeMutableRawPointer(out)
        while i + 8 <= n {
            let e = exp(src.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self) - shift)
            dst.storeBytes(of: e, toByteOffset: 4 * i, as: SIMD8<Float>.self)
            acc += e
            i += 8
        }
        var total = acc.sum()
        while i < n {
            out[i] = exp(x[i] - shift)
            total += out[i]
            i += 1
        }
        return total
    }

    /// out[i] = silu(gate[i]) · up[i] = gate / (1 + exp(−gate)) · up, over n floats.
    @inline(__always)
    static func swiglu(_ out: UnsafeMutablePointer<Float>, _ gate: UnsafePointer<Float>, _ up: UnsafePointer<Float>, _ n: Int) {
        var i = 0
        let g = UnsafeRawPointer(gate), u = UnsafeRawPointer(up), o = UnsafeMutableRawPointer(out)
        while i + 8 <= n {
            let x = g.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            let y = u.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            o.storeBytes(of: x / (1 + exp(-x)) * y, toByteOffset: 4 * i, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            out[i] = gate[i] / (1 + exp(-gate[i])) * up[i]
            i += 1
        }
    }

    /// Σ exp(x[i] − shift) over n floats: eight float lanes, flushed into a double every 512 elements so that
    /// a vocabulary of terms up to 1 each keeps its digits (the loss's log-sum-exp).
    @inline(__always)
    static func sumExpShifted(_ x: UnsafePointer<Float>, _ n: Int, shift: Float) -> Double {
        var total: Double = 0
        var i = 0
        let src = UnsafeRawPointer(x)
        while i + 8 <= n {
            var acc = SIMD8<Float>(repeating: 0)
            let end = min(n, i + 512)
            while i + 8 <= end {
                acc += exp(src.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self) - shift)
                i += 8
            }
            total += Double(acc.sum())
        }
        while i < n {
            total += Double(exp(x[i] - shift))
            i += 1
        }
        return total
    }

    /// out[i] += factor · exp(x[i] − shift) over n floats (the softmax term of the loss's gradient).
    @inline(__always)
    static func addScaledExpShifted(_ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, shift: Float, factor: Float) {
        var i = 0
        let src = UnsafeRawPointer(x), dst = UnsafeMutableRawPointer(out)
        while i + 8 <= n {
            let e = exp(src.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self) - shift)
            let o = dst.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
            dst.storeBytes(of: o + factor * e, toByteOffset: 4 * i, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            out[i] += factor * exp(x[i] - shift)
            i += 1
        }
    }
}
