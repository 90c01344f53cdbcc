import Foundation
import SkyTensor
import Testing

/// The BLAS backend names the kernels it runs, so results can be traced to the host type that made them.
@Suite struct BackendDeviceTests {
    @Test func theDeviceNamesOpenBLASItsVersionAndTheCoreTypeInUse() {
        let device = BLASBackend(threads: 1).device
        #expect(device.kind == "cpu")
        #expect(device.library.hasPrefix("OpenBLAS 0."), "\(device.library)")
        #expect(device.kernels == BLASBackend.coreName && !device.kernels.isEmpty && device.kernels != "unknown")
        #expect(device.numerics == "\(device.library) \(device.kernels)")
        #expect(!device.name.isEmpty)
    }

    /// `make test` reruns the numeric suites under a second OPENBLAS_CORETYPE; this proves that rerun used it.
    @Test func aForcedCoreTypeIsTheOneInUse() throws {
        guard let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"], !forced.isEmpty else { return }
        #expect(BLASBackend.coreName.lowercased() == forced.lowercased(), "OPENBLAS_CORETYPE=\(forced) but OpenBLAS runs \(BLASBackend.coreName)")
    }
}
