public import SkyTensor

/// Where each trainable tensor lives inside one flat buffer (llm.c's single parameter allocation).
///
/// Parameters, gradients and both AdamW moments are four buffers with this same layout, so zeroing the
/// gradients is one fill and a view of any of them is `view(of:in:)`. Layouts are generated from the model
/// config (`full(config:)`, `lora(config:lora:)`), never numbered by hand.
public struct ParameterLayout: Sendable, Equatable {
    /// One tensor of the layout.
    public struct Entry: Sendable, Equatable {
        /// The tensor's name in its checkpoint (Hugging Face or PEFT).
        public let name: String
        /// Its shape.
        public let shape: [Int]
        /// Index of its first element in the buffer.
        public let offset: Int
        /// Whether AdamW's weight decay applies (not to norms and biases, as Hugging Face's Trainer decides).
        public let decays: Bool

        /// Number of elements.
        public var count: Int { shape.reduce(1, *) }
    }

    /// The tensors, in buffer order.
    public let entries: [Entry]
    /// Total elements: the size of each buffer.
    public let count: Int
    private let index: [String: Int]

    /// Lays `tensors` out back to back in the given order.
    public init(_ tensors: [(name: String, shape: [Int])]) {
        var entries: [Entry] = [], offset = 0
        for (name, shape) in tensors {
            entries.append(Entry(name: name, shape: shape, offset: offset, decays: Self.decays(name)))
            offset += shape.reduce(1, *)
        }
        self.entries = entries
        count = offset
        index = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.name, $0) })
    }

    /// The entry called `name`, if any.
    public func entry(_ name: String) -> Entry? { index[name].map { entries[$0] } }

    /// The view of `name` inside `buffer` (a tensor of `count` elements).
    public func view(of name: String, in buffer: Tensor) -> Tensor {
        guard let e = entry(name) else { preconditionFailure("no tensor \(name) in the parameter layout") }
        precondition(buffer.count == count, "buffer of \(buffer.count) elements for a layout of \(count)")
        return Tensor(shape: e.shape, storage: buffer.storage, offset: buffer.offset + e.offset)
    }

    /// A zeroed buffer for this layout.
    public func makeBuffer(backend: any Backend) -> Tensor { backend.zeros([count]) }

    static func decays(_ name: String) -> Bool {
        !(name.hasSuffix(".bias") || name.hasSuffix("norm.weight"))
    }
}
