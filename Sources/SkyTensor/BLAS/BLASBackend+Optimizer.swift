import Foundation

extension BLASBackend {
    public func fill(_ out: Tensor, _ value: Float) {
        out.hostPointer.update(repeating: value, count: out.count)
    }

    public func scale(_ out: Tensor, by factor: Float) {
        RowKernels.scale(out.hostPointer, out.count, by: factor)
    }

    public func sumOfSquares(_ x: Tensor) -> Double {
        // Float lanes over blocks of 512, each block's sum added in double: the whole model's gradient in one
        // call, where a double per element made this a scalar loop.
        let p = x.hostPointer, n = x.count
        var total: Double = 0
        var start = 0
        while start < n {
            let count = min(512, n - start)
            total += Double(RowKernels.sumOfSquares(p + start, count))
            start += count
        }
        return total
    }

    public func adamW(_ params: Tensor, _ m: Tensor, _ v: Tensor, grads: Tensor, hyper h: AdamWHyper, step: Int) {
        precondition(m.count == params.count && v.count == params.count && grads.count == params.count && step >= 1,
                     "adamW over \(params.shape) with moments \(m.shape), \(v.shape), grads \(grads.shape), step \(step)")
        let p = params.hostPointer, mp = m.hostPointer, vp = v.hostPointer, g = grads.hostPointer
        // The order of operations of torch.optim.AdamW (single-tensor path), so results agree to rounding.
        let decay = 1 - h.lr * h.weightDecay
        let correction1 = 1 - Foundation.pow(h.beta1, Float(step))
        let correction2Root = (1 - Foundation.pow(h.beta2, Float(step))).squareRoot()
        let stepSize = h.lr / correction1
        // Elementwise, so any split over threads gives the same bits.
        parallelRows(params.count, threads: threads, costPerRow: 16) { range in
            for i in range {
                p[i] *= decay
                mp[i] += (g[i] - mp[i]) * (1 - h.beta1)  // lerp, as PyTorch writes m = β1·m + (1 − β1)·g
                vp[i] = vp[i] * h.beta2 + (1 - h.beta2) * g[i] * g[i]
                let denom = vp[i].squareRoot() / correction2Root + h.eps
                p[i] -= stepSize * mp[i] / denom
            }
        }
    }
}
