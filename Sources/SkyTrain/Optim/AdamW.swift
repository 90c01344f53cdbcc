public import SkyTensor

/// AdamW over a parameter buffer: moments m and v are buffers with the parameters' layout, and weight decay
/// is skipped for the layout entries that must not decay (norms, biases).
public struct AdamW: Sendable {
    /// Peak hyper-parameters; `lr` is multiplied by the schedule each step.
    public var hyper: AdamWHyper
    /// First and second moments (one buffer each, the parameters' layout).
    public let m: Tensor, v: Tensor
    /// Updates taken so far.
    public internal(set) var step = 0
    let layout: ParameterLayout
    let backend: any Backend

    /// Zeroed moments for `layout`.
    public init(layout: ParameterLayout, hyper: AdamWHyper, backend: any Backend) {
        self.hyper = hyper
        self.layout = layout
        self.backend = backend
        m = layout.makeBuffer(backend: backend)
        v = layout.makeBuffer(backend: backend)
    }

    /// One update of `params` from `grads` at learning rate `lr`.
    public mutating func update(params: Tensor, grads: Tensor, lr: Float) {
        step += 1
        for entry in layout.entries {
            var h = hyper
            h.lr = lr
            if !entry.decays { h.weightDecay = 0 }
            backend.adamW(layout.view(of: entry.name, in: params), layout.view(of: entry.name, in: m),
                          layout.view(of: entry.name, in: v), grads: layout.view(of: entry.name, in: grads), hyper: h, step: step)
        }
    }
}
