import Foundation
import SkyCore
import SkyEval
import SkyTensor

/// A `BackendDevice` as train and eval jobs record it in their results.
enum DeviceJSON {
    /// `{"kind", "name", "library", "kernels"}`.
    static func object(_ device: BackendDevice) -> JSONValue {
        .object([
            "kind": .string(device.kind), "name": .string(device.name), "library": .string(device.library),
            "kernels": .string(device.kernels),
        ])
    }
}

/// The record of the machine an eval ran on (`eval_runs.environment`): what decides the numbers and is already in
/// the configuration (kernel family, threads, grader), and what explains them when two hosts differ (the processor
/// or GPU by name, the library's version, the host, the OS, Sky's version).
enum RunEnvironment {
    static func json(device: BackendDevice, backend: String, threads: Int) -> JSONValue {
        let process = ProcessInfo.processInfo
        return .object([
            "device": DeviceJSON.object(device), "backend": .string(backend), "threads": .number(Double(threads)),
            "host": .string(process.hostName), "os": .string(process.operatingSystemVersionString),
            "cores": .number(Double(process.activeProcessorCount)), "skyVersion": .string(SkyVersion.current),
            "grader": .string(GraderVersion.current),
        ])
    }
}
