import Foundation

/// Inner loops over one contiguous row, written so the optimiser emits vector code: reductions keep
/// eight independent SIMD lanes (the compiler may not reorder float additions itself).
enum RowKernels {
    /// Σ x² over n floats.
    @inline(__always)
    static func sumOfSquares(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        var i = 0
        let raw = UnsafeRawPointer(x)
        while i + 8 <= n {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            acc += v * v
            i += 8
        }
        var total = acc.sum()
        while i < n {
            total += x[i] * x[i]
            i += 1
        }
        return total
    }

    /// The largest of n floats (−∞ for none).
    @inline(__always)
    static func maximum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
        var lanes = SIMD8<Float>(repeating: -.infinity)
        var i = 0
        let raw = UnsafeRawPointer(x)
        while i + 8 <= n {
            let v = raw.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            lanes.replace(with: v, where: v .> lanes)
            i += 8
        }
        var best = lanes.max()
        while i < n {
            if x[i] > best { best = x[i] }
            i += 1
        }
        return best
    }

    /// x[i] *= s over n floats.
    @inline(__always)
    static func scale(_ x: UnsafeMutablePointer<Float>, _ n: Int, by s: Float) {
        for i in 0..<n { x[i] *= s }
    }

    /// Σ a[i]·b[i] over n floats.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>(repeating: 0)
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        while i + 8 <= n {
            acc += ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self) * rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        var total = acc.sum()
        while i < n {
            total += a[i] * b[i]
            i += 1
        }
        return total
    }

    /// Softmax backward of one row in place: d[i] = p[i]·(d[i] − Σ p·d), with d the gradient of the probabilities.
    @inline(__always)
    static func softmaxBackward(_ d: UnsafeMutablePointer<Float>, probs p: UnsafePointer<Float>, _ n: Int) {
        let total = dot(p, d, n)
        var i = 0
        let rp = UnsafeRawPointer(p), rd = UnsafeMutableRawPointer(d)
        while i + 8 <= n {
            let pv = rp.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            let dv = rd.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
            rd.storeBytes(of: pv * (dv - total), toByteOffset: i * 4, as: SIMD8<Float>.self)
            i += 8
        }
        while i < n {
            d[i] = p[i] * (d[i] - total)
            i += 1
        }
    }
}
