import CSkyKernels
import Foundation
import SkyNumericsTestSupport
import SkyTensor
import Testing

/// bfloat16 weights on the BLAS backend: stored at half the bytes, widened inside linear, its backward and embedding,
/// they give what the same values in float32 give, to float32's summation-order bound.
@Suite struct BFloat16WeightTests {
    let backend = BLASBackend(threads: 2)

    /// Random weights rounded to bf16 (so both forms hold the same values), as bits and as floats.
    static func weights(_ count: Int, seed: UInt64) -> (bits: [UInt16], floats: [Float]) {
        var state = seed | 1
        let bits = (0..<count).map { _ -> UInt16 in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            // Finite values of either sign, magnitudes around 2^-8...2^1.
            let exponent = UInt16(119 + state % 9), mantissa = UInt16((state >> 8) & 0x7f), sign = UInt16((state >> 20) & 1)
            return sign << 15 | exponent << 7 | mantissa
        }
        return (bits, bits.map(DType.float(bfloat16:)))
    }

    func bf16(_ bits: [UInt16], shape: [Int]) -> Tensor {
        bits.withUnsafeBufferPointer { backend.tensor(bfloat16: $0, shape: shape, owner: nil) }
    }

    @Test(arguments: [1, 3, 40])
    func linearAndItsInputGradientMatchFloat32(rows: Int) {
        let c = 77, oc = 300  // more than one block of 256 weight rows, and widths that are not multiples of 8
        let w = Self.weights(oc * c, seed: 5), x = BackendParity.random(rows * c, seed: 6), bias = BackendParity.random(oc, seed: 7)
        let weight16 = bf16(w.bits, shape: [oc, c]), weight32 = backend.tensor(w.floats, shape: [oc, c])
        #expect(weight16.dtype == .bfloat16 && weight32.dtype == .float32)
        let input = backend.tensor(x, shape: [rows, c]), b = backend.tensor(bias, shape: [oc])
        let out16 = backend.zeros([rows, oc]), out32 = backend.zeros([rows, oc])
        backend.linear(out16, input, weight16, bias: b)
        backend.linear(out32, input, weight32, bias: b)
        let bound = 2 * Float32Bounds.gamma(c + 1) * Float32Bounds.scale(backend.toArray(out32))
        #expect(Float32Bounds.largestDifference(backend.toArray(out16), backend.toArray(out32)) <= max(bound, 1e-6))
        let dout = backend.tensor(BackendParity.random(rows * oc, seed: 8), shape: [rows, oc])
        let d16 = backend.tensor(x, shape: [rows, c]), d32 = backend.tensor(x, shape: [rows, c])
        backend.linearBackward(d16, nil, nil, dout: dout, input: input, weight: weight16)
        backend.linearBackward(d32, nil, nil, dout: dout, input: input, weight: weight32)
        let backwardBound = 2 * Float32Bounds.gamma(oc + 1) * Float32Bounds.scale(backend.toArray(d32))
        #expect(Float32Bounds.largestDifference(backend.toArray(d16), backend.toArray(d32)) <= backwardBound)
    }

    /// The vector path (AVX2 + FMA where the CPU has it, as on every CI host) and the portable loop agree to float32's
    /// bound, so a host without AVX2 computes the same model.
    @Test func theVectorAndPortableProductsAgree() {
        let c = 333, rows = 17
        let w = Self.weights(rows * c, seed: 11), x = BackendParity.random(c, seed: 12)
        var vector = [Float](repeating: 1, count: rows), portable = [Float](repeating: 1, count: rows)
        w.bits.withUnsafeBufferPointer { wp in
            x.withUnsafeBufferPointer { xp in
                sky_bf16_gemv(wp.baseAddress, c, 0, rows, xp.baseAddress, &vector, 0.5)
                sky_bf16_gemv_portable(wp.baseAddress, c, 0, rows, xp.baseAddress, &portable, 0.5)
            }
        }
        // Each row within γ(c + 1)·Σ|terms| of the exact sum (Higham §3.1), the 0.5·y term included.
        for j in 0..<rows {
            let terms = (0..<c).map { Double(w.floats[j * c + $0]) * Double(x[$0]) } + [0.5]
            let exact = terms.reduce(0, +), bound = Float32Bounds.gamma(c + 1) * terms.reduce(0) { $0 + abs($1) }
            #expect(abs(Double(vector[j]) - exact) <= bound, "vector path, row \(j)")
            #expect(abs(Double(portable[j]) - exact) <= bound, "portable path, row \(j)")
        }
    }

    @Test func embeddingCopyAndToArrayWidenExactly() {
        let w = Self.weights(13 * 9, seed: 9)
        let table = bf16(w.bits, shape: [13, 9])
        #expect(backend.toArray(table) == w.floats)
        let out = backend.zeros([3, 9])
        backend.embedding(out, ids: [12, 0, 12], table: table)
        #expect(backend.toArray(out) == Array(w.floats[108..<117] + w.floats[0..<9] + w.floats[108..<117]))
        let copy = backend.zeros([13, 9])
        backend.copy(copy, table)
        #expect(backend.toArray(copy) == w.floats)
        // A view of rows keeps its offset in bf16 elements.
        #expect(backend.toArray(table.rows(2..<4)) == Array(w.floats[18..<36]))
    }

    @Test func inPlaceStorageReadsTheOwnersMemoryAndKeepsItAlive() {
        final class Owner: @unchecked Sendable {
            let bits: UnsafeMutableBufferPointer<UInt16>
            init(_ values: [UInt16]) {
                bits = .allocate(capacity: values.count)
                _ = bits.initialize(from: values)
            }
            deinit { bits.deallocate() }
        }
        let w = Self.weights(64, seed: 10)
        var tensor: Tensor?
        do {
            let owner = Owner(w.bits)
            tensor = backend.tensor(bfloat16: UnsafeBufferPointer(owner.bits), shape: [8, 8], owner: owner)
        }
        // The owner is gone from this scope; the storage holds it, so the bits are still valid.
        #expect(backend.toArray(tensor!) == w.floats)
    }
}
