import SkyCore
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
