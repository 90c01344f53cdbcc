import Foundation

/// Straightforward loops that define what each optimised op must compute (llm.c keeps one beside every kernel).
enum NaiveReference {
    static func matmul(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        var out = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s: Double = 0
                for p in 0..<k { s += Double(a[i * k + p]) * Double(b[p * n + j]) }
                out[i * n + j] = Float(s)
            }
        }
        return out
    }

    static func transpose(_ a: [Float], rows: Int, cols: Int) -> [Float] {
        var out = [Float](repeating: 0, count: a.count)
        for i in 0..<rows { for j in 0..<cols { out[j * rows + i] = a[i * cols + j] } }
        return out
    }

    static func rmsNorm(_ x: [Float], weight: [Float], eps: Float) -> [Float] {
        let c = weight.count
        var out = x
        for r in 0..<(x.count / c) {
            let row = x[(r * c)..<(r * c + c)]
            let ms = row.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(c)
            let inv = 1 / (ms + Double(eps)).squareRoot()
            for i in 0..<c { out[r * c + i] = Float(Double(weight[i]) * Double(x[r * c + i]) * inv) }
        }
        return out
    }

    static func softmax(_ row: [Float]) -> [Float] {
        let top = row.max() ?? 0
        let e = row.map { Foundation.exp(Double($0 - top)) }
        let total = e.reduce(0, +)
        return e.map { Float($0 / total) }
    }

    static func random(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &+ 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % 2_000_001) / 1_000_000 - 1
        }
    }

    static func assertClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
        guard a.count == b.count else { return false }
        return zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
    }
}
