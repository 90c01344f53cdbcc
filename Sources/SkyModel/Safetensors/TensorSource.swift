public import SkyTensor

/// Anything that serves named float32 tensors: one safetensors file or a sharded checkpoint.
public protocol TensorSource: Sendable {
    /// Names of all tensors, sorted.
    var tensorNames: [String] { get }
    /// Where `name` lives and its shape, or nil when absent.
    func info(_ name: String) -> TensorInfo?
    /// The elements of `name` converted to float32, row-major.
    func floats(_ name: String) throws -> [Float]
    /// The stored bfloat16 bits of `name`, in place, and the object that keeps them valid; nil unless `name` is stored
    /// as bf16 where it can be read in place.
    func bfloat16(_ name: String) -> (bits: UnsafeBufferPointer<UInt16>, owner: any AnyObject & Sendable)?
}

extension TensorSource {
    /// None: the source holds no bf16 it can lend.
    public func bfloat16(_ name: String) -> (bits: UnsafeBufferPointer<UInt16>, owner: any AnyObject & Sendable)? { nil }
}

extension TensorSource {
    /// Loads `name` into `backend` memory with its stored shape.
    public func tensor(_ name: String, on backend: any Backend) throws -> Tensor {
        guard let info = info(name) else { throw SafetensorsError.missingTensor(name: name, source: "checkpoint") }
        return backend.tensor(try floats(name), shape: info.shape)
    }
}
