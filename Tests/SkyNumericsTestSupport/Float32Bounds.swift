/// What float32 arithmetic guarantees about sums and products, so numeric tests compare against a bound that
/// holds on every kernel family (OpenBLAS's Haswell, Zen, SkylakeX, …) rather than a tolerance that held on one.
///
/// The bounds are Higham's ("Accuracy and Stability of Numerical Algorithms", §3.1 and §3.5): a sum of n terms
/// computed in any order, with or without fused multiply-adds, errs by at most γₙ·Σ|terms|, γₙ = n·u/(1 − n·u),
/// u = 2⁻²⁴. Kernels differ in summation order and blocking, so two float32 results of one product may differ by
/// twice that, while an indexing bug, a dropped term or a wrong transpose is off by orders of magnitude more.
public enum Float32Bounds {
    /// The unit roundoff of float32.
    public static let unitRoundoff = 0x1p-24

    /// γₙ = n·u / (1 − n·u): the relative bound, against Σ|terms|, of a sum of n terms.
    public static func gamma(_ n: Int) -> Double {
        let nu = Double(n) * unitRoundoff
        precondition(nu < 1, "γ is defined for n·u < 1 only")
        return nu / (1 - nu)
    }

    /// Per element of alpha·A·B + beta·C (A: M×K, B: K×N, C: M×N, row-major; no C for beta 0), the bound
    /// γ_{K+2}·(|alpha|·(|A|·|B|) + |beta|·|C|) on |computed − exact|: K products summed, then scaled and added.
    public static func product(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int, alpha: Float = 1,
                               beta: Float = 0, accumulator c: [Float]? = nil) -> [Double] {
        precondition(a.count == m * k && b.count == k * n && (c == nil || c!.count == m * n), "shapes of the product's bound")
        let gamma = gamma(k + 2)
        var bound = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var magnitude = 0.0
                for p in 0..<k { magnitude += abs(Double(a[i * k + p]) * Double(b[p * n + j])) }
                bound[i * n + j] = gamma * (abs(Double(alpha)) * magnitude + abs(Double(beta)) * (c.map { abs(Double($0[i * n + j])) } ?? 0))
            }
        }
        return bound
    }

    /// Reductions one transformer layer chains in its forward pass: two RMSNorms, the q/k/v and output projections,
    /// the attention scores, their softmax and the weighted sum of values, the gate/up and the down projections.
    public static let reductionsPerLayer = 9

    /// A first-order bound, relative to the largest magnitude among the outputs, on the error of a transformer's
    /// forward pass of `layers` layers whose longest sum has `longestSum` terms: (9·layers + 2)·γ_longestSum, the
    /// final norm and the LM head adding two reductions. Every reduction is taken as well conditioned (its Σ|terms|
    /// near the outputs' scale), which the RMSNorm before each block keeps roughly true; so it is the scale a
    /// tolerance must allow, not a proof. `weightRounding`, the unit roundoff of weights stored in a narrower type
    /// (2⁻¹¹ for float16), adds that relative error once per reduction.
    public static func forwardPass(layers: Int, longestSum: Int, weightRounding: Double = 0) -> Double {
        Double(reductionsPerLayer * layers + 2) * (gamma(longestSum) + weightRounding)
    }

    /// The same for a forward and backward pass, relative to the largest gradient: the backward of each product is
    /// two products over the same sums, so three times the forward's chain.
    public static func backwardPass(layers: Int, longestSum: Int) -> Double {
        3 * forwardPass(layers: layers, longestSum: longestSum)
    }

    /// The largest |value|, the scale that `forwardPass` and `backwardPass` are relative to.
    public static func scale(_ values: [Float]) -> Double {
        values.reduce(0) { max($0, abs(Double($1))) }
    }

    /// The largest |a − b| (NaN when either holds a NaN or their counts differ), for a failure message.
    public static func largestDifference(_ a: [Float], _ b: [Float]) -> Double {
        guard a.count == b.count else { return .nan }
        return zip(a, b).reduce(0) { worst, pair in
            let difference = abs(Double(pair.0) - Double(pair.1))
            return difference.isNaN || worst.isNaN ? .nan : max(worst, difference)
        }
    }

    /// The first element where |actual − expected| exceeds `factor`·bound, described for a failure message; nil when
    /// every element is within. `factor` 1 for a result against an exact (float64) reference, 2 for two float32 results.
    public static func violation(_ actual: [Float], _ expected: [Float], bounds: [Double], factor: Double = 1) -> String? {
        guard actual.count == expected.count, actual.count == bounds.count else {
            return "\(actual.count) values against \(expected.count) expected and \(bounds.count) bounds"
        }
        for (index, (x, y)) in zip(actual, expected).enumerated() {
            let difference = abs(Double(x) - Double(y))
            // NaN fails the comparison, so a NaN anywhere is a violation too.
            if !(difference <= factor * bounds[index]) {
                return "element \(index): \(x) vs \(y), difference \(difference) > \(factor) × bound \(bounds[index])"
            }
        }
        return nil
    }
}
