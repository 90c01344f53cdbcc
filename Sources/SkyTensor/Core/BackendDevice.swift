/// The hardware and math library behind a backend's numbers, recorded with every train and eval result.
///
/// Float results are reproducible to the last bit only for one `kernels` value (and one thread count): OpenBLAS
/// picks its kernels at run time from the CPU (`Haswell`, `Zen`, `SkylakeX`, …, or `OPENBLAS_CORETYPE`), and
/// products summed in another order differ in their last bits, which greedy decoding can turn into other tokens.
public struct BackendDevice: Sendable, Hashable, Codable, CustomStringConvertible {
    /// "cpu" or "gpu".
    public var kind: String
    /// The processor's model name, or the GPU's.
    public var name: String
    /// The math library and its version, e.g. "OpenBLAS 0.3.21".
    public var library: String
    /// The kernel family the library chose at run time: OpenBLAS's core name, or a GPU's compute capability.
    public var kernels: String

    /// A device from its parts.
    public init(kind: String, name: String, library: String, kernels: String) {
        self.kind = kind
        self.name = name
        self.library = library
        self.kernels = kernels
    }

    /// "OpenBLAS 0.3.21 Zen": what decides the last bits of a result, for configurations and logs.
    public var numerics: String { "\(library) \(kernels)" }

    /// One line for logs: "cpu AMD EPYC 7B13, OpenBLAS 0.3.21 (Zen kernels)".
    public var description: String { "\(kind) \(name), \(library) (\(kernels) kernels)" }
}
