public import SkyTensor

/// Keys and values of every layer for one sequence, so decoding attends to the past without recomputing it.
public final class KVCache: @unchecked Sendable {  // mutated by one forward pass at a time
    /// keys[layer] (capacity, NKV·HD), after RoPE
    let keys: [Tensor]
    /// values[layer] (capacity, NKV·HD)
    let values: [Tensor]
    /// Positions the cache can hold.
    public let capacity: Int
    /// Positions filled so far (the next token's position).
    public internal(set) var length = 0

    /// An empty cache for `capacity` positions of a model with `config`.
    public init(config: ModelConfig, capacity: Int, backend: any Backend) {
        let width = config.numKeyValueHeads * config.headDim
        keys = (0..<config.numHiddenLayers).map { _ in backend.zeros([capacity, width]) }
        values = (0..<config.numHiddenLayers).map { _ in backend.zeros([capacity, width]) }
        self.capacity = capacity
    }

    /// Forgets every position, keeping the memory.
    public func reset() { length = 0 }
}
