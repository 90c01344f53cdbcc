import SkyTensor

/// A linear layer with an optional LoRA update: out = x·Wᵀ + b + s·(drop(x)·Aᵀ)·Bᵀ (PEFT's `lora.Linear`).
struct AdaptedLinear {
    let backend: any Backend
    /// The LoRA scaling s.
    let scaling: Float

    /// out (N, OUT) from input (N, IN); `saved` receives what the adapter's backward needs.
    func forward(_ out: Tensor, _ input: Tensor, weight: Tensor, bias: Tensor?, adapter: LoRAAdapters.Pair?, saved: LoRASaved?) {
        backend.linear(out, input, weight, bias: bias)
        guard let adapter, let saved else { return }
        var adapterInput = input
        if let mask = saved.mask, let dropped = saved.dropped {
            backend.multiply(dropped, input, mask)
            adapterInput = dropped
        }
        backend.linear(saved.hidden, adapterInput, adapter.a, bias: nil)
        backend.matmul(out, saved.hidden, adapter.b, transposeA: false, transposeB: true, alpha: scaling, beta: 1)
    }

    /// dinput += dout·W (+ the adapter's path); weight, bias and adapter gradients += theirs (nil: frozen).
    func backward(_ dinput: Tensor?, _ dweight: Tensor?, _ dbias: Tensor?, _ dadapter: LoRAAdapters.Pair?, dout: Tensor,
                  input: Tensor, weight: Tensor, adapter: LoRAAdapters.Pair?, saved: LoRASaved?) {
        backend.linearBackward(dinput, dweight, dbias, dout: dout, input: input, weight: weight)
        guard let adapter, let saved else { return }
        // out += s·h·Bᵀ with h = x̃·Aᵀ: dB (OUT, r) += s·doutᵀ·h; dh (N, r) = s·dout·B; then h's own linear backward.
        let hidden = saved.hidden
        if let dadapter { backend.matmul(dadapter.b, dout, hidden, transposeA: true, transposeB: false, alpha: scaling, beta: 1) }
        let dhidden = backend.zeros(hidden.shape)
        backend.matmul(dhidden, dout, adapter.b, transposeA: false, transposeB: false, alpha: scaling, beta: 0)
        guard let mask = saved.mask, let dropped = saved.dropped else {
            backend.linearBackward(dinput, dadapter?.a, nil, dout: dhidden, input: input, weight: adapter.a)
            return
        }
        // Through the dropout: dx += (dh·A) · mask.
        let ddropped = backend.zeros(dropped.shape)
        backend.linearBackward(ddropped, dadapter?.a, nil, dout: dhidden, input: dropped, weight: adapter.a)
        if let dinput {
            backend.multiply(ddropped, ddropped, mask)
            backend.add(dinput, dinput, ddropped)
        }
    }
}
