/// The one vocabulary of compute backends: train and eval specs, job requirements, worker pools and workers all
/// name them the same way.
///
/// `blas` runs on the CPU through OpenBLAS, `cuda` on an NVIDIA GPU. A spec may also say `auto`: CUDA where the
/// worker has a usable GPU, else BLAS (the worker decides and logs why). `cpu`, which job requirements and worker
/// pools said before 0.2.0, is still accepted on input as a deprecated alias of `blas`, and stored as `blas`.
public enum ComputeBackend: String, Sendable, CaseIterable, Codable {
    case blas, cuda

    /// Names accepted on input for compatibility, and the backend each now means.
    public static let deprecatedAliases: [String: ComputeBackend] = ["cpu": .blas]

    /// What a spec's `backend` may say besides a backend's own name.
    public static let automatic = "auto"

    /// The backend `name` names, a deprecated alias included; nil when it names none.
    public init?(named name: String) {
        guard let backend = ComputeBackend(rawValue: name) ?? Self.deprecatedAliases[name] else { return nil }
        self = backend
    }

    /// `name` with a deprecated alias replaced by the backend it means; any other name unchanged.
    public static func canonical(_ name: String) -> String {
        deprecatedAliases[name]?.rawValue ?? name
    }

    /// The names a worker pool or a job requirement may give, for error messages.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// The names a train or eval spec's `backend` may give, for validation and error messages.
    public static var specNames: [String] { names + [automatic] }
}
