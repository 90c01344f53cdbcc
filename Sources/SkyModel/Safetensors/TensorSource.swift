public import SkyTensor

/// Anything that serves named float32 tensors: one safetensors file or a sharded checkpoint.
public protocol TensorSource: Sendable {
    /// Names of all tensors, sorted.
    var tensorNames: [String] { get }
    /// Where `name` lives and its shape, or nil when absent.
    func info(_ name: String) -> TensorInfo?
    /// The elements of `name` converted to float32, row-major.
    func floats(_ name: String) throws -> [Float]
}

extension TensorSource {
    /// Loads `name` into `backend` memory with its stored shape.
    public func tensor(_ name: String, on backend: any Backend) throws -> Tensor {
        guard let info = info(name) else { throw SafetensorsError.missingTensor(name: name, source: "checkpoint") }
        return backend.tensor(try floats(name), shape: info.shape)
    }
}
