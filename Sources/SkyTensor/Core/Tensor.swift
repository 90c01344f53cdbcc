/// A tensor: a shape over a contiguous row-major window of some backend's storage, float32 unless its storage says
/// bfloat16 (weights only; see `DType`).
///
/// Tensors share storage the way PyTorch tensors do: `rows(_:)` returns a view, and ops write into
/// the outputs they are given. Shapes are documented with the letters listed in `ShapeGlossary.swift`.
public struct Tensor: Sendable {
    /// Size of each dimension, outermost first.
    public let shape: [Int]
    /// The memory the elements live in; only the owning backend reads it.
    public let storage: any TensorStorage
    /// Index of the first element inside `storage`.
    public let offset: Int

    /// Wraps `storage` (from `offset`) with `shape`; the window must fit inside the storage.
    public init(shape: [Int], storage: any TensorStorage, offset: Int = 0) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in shape \(shape)")
        let count = shape.reduce(1, *)
        precondition(offset >= 0 && offset + count <= storage.count,
                     "tensor window \(offset)..<\(offset + count) outside storage of \(storage.count)")
        self.shape = shape
        self.storage = storage
        self.offset = offset
    }

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// How the elements are stored (float32 unless the backend keeps bf16 weights).
    public var dtype: DType { storage.dtype }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// Size of the last dimension (the row length), or 1 for a scalar.
    public var rowLength: Int { shape.last ?? 1 }

    /// Number of rows when the tensor is viewed as (rows, rowLength).
    public var rowCount: Int { rowLength == 0 ? 0 : count / rowLength }

    /// The same elements under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(shape: newShape, storage: storage, offset: offset)
    }

    /// A view of rows `range` along the first dimension.
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
                     "rows \(range) outside first dimension of \(shape)")
        let stride = shape.dropFirst().reduce(1, *)
        return Tensor(shape: [range.count] + shape.dropFirst(), storage: storage, offset: offset + range.lowerBound * stride)
    }
}
