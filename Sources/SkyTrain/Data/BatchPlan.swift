/// Which sequences go into which micro-batch and optimizer step, epoch by epoch.
///
/// Each epoch visits every sequence once in an order fixed by the seed and the epoch number. Without packing a
/// micro-batch holds `microBatchSize` sequences; with packing it holds whole sequences up to
/// `microBatchSize × maxLength` tokens. Either way sequences are stacked, not padded: each keeps its own
/// positions and attends only to itself (`TrainingModel`), so no token affects another sample.
/// `accumulation` micro-batches make a step; an epoch's last step takes what is left.
public struct BatchPlan: Sendable, Equatable {
    /// Tokens of each sequence.
    public let lengths: [Int]
    /// Sequences per micro-batch, or the token budget's multiplier with packing.
    public let microBatchSize: Int
    /// Micro-batches per optimizer step.
    public let accumulation: Int
    /// With packing, the token budget of a micro-batch; nil packs a fixed count.
    public let tokenBudget: Int?
    /// Fixes every epoch's order.
    public let seed: UInt64

    /// A plan over sequences of `lengths`; `packing` needs `maxLength`, the longest a sequence may be.
    public init(lengths: [Int], microBatchSize: Int, accumulation: Int, packing: Bool, maxLength: Int, seed: UInt64) {
        precondition(microBatchSize > 0 && accumulation > 0, "batch sizes must be positive")
        self.lengths = lengths
        self.microBatchSize = microBatchSize
        self.accumulation = accumulation
        tokenBudget = packing ? microBatchSize * maxLength : nil
        self.seed = seed
    }

    /// The optimizer steps of epoch `epoch` (0-based): each a list of micro-batches of sequence indices.
    public func steps(epoch: Int) -> [[[Int]]] {
        var order = Array(lengths.indices)
        SeededShuffle.shuffle(&order, seed: seed, stream: UInt64(epoch))
        var microBatches: [[Int]] = []
        var current: [Int] = [], tokens = 0
        for index in order {
            let full = tokenBudget.map { tokens + lengths[index] > $0 } ?? (current.count == microBatchSize)
            if full && !current.isEmpty {
                microBatches.append(current)
                current = []
                tokens = 0
            }
            current.append(index)
            tokens += lengths[index]
        }
        if !current.isEmpty { microBatches.append(current) }
        return stride(from: 0, to: microBatches.count, by: accumulation).map {
            Array(microBatches[$0..<min($0 + accumulation, microBatches.count)])
        }
    }

    /// Optimizer steps in `epochs` epochs.
    public func stepCount(epochs: Int) -> Int {
        (0..<epochs).reduce(0) { $0 + steps(epoch: $1).count }
    }
}
