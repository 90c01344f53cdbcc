import Foundation
@testable import SkyTensor
import Testing

/// Every CUDA kernel compiles with NVRTC to a cubin for the GPUs Sky targets, with no register spills. NVRTC needs no
/// GPU: `make test` installs it from PyPI into .venv-cuda (scripts/cuda/setup-nvrtc.sh). This proves the kernels are
/// valid CUDA C++ that ptxas accepts for sm_80 and sm_90; whether they compute the right numbers is for a GPU run
/// (scripts/gpu/selftest.sh), and their host side for the fake-driver tests.
@Suite struct CUDAKernelCompileTests {
    static let architectures = ["sm_80", "sm_90"]

    /// NVRTC from SKY_CUDA_LIB_DIR or the repository's .venv-cuda; a clear failure where neither has it.
    static func nvrtc() throws -> NVRTC {
        var environment = ProcessInfo.processInfo.environment
        if environment["SKY_CUDA_LIB_DIR"] == nil {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent()
            let lib = root.appendingPathComponent(".venv-cuda/lib")
            let python = (try? FileManager.default.contentsOfDirectory(atPath: lib.path))?.first { $0.hasPrefix("python3") }
            if let python {
                environment["SKY_CUDA_LIB_DIR"] = lib.appendingPathComponent("\(python)/site-packages/nvidia/cu13/lib").path
            }
        }
        switch NVRTC.load(environment: environment) {
        case .success(let nvrtc): return nvrtc
        case .failure(let missing):
            Issue.record("NVRTC is missing: run scripts/cuda/setup-nvrtc.sh (make test does) or set SKY_CUDA_LIB_DIR. \(missing)")
            throw missing
        }
    }

    @Test(arguments: architectures)
    func everyKernelCompilesToACubinWithoutSpills(architecture: String) throws {
        let nvrtc = try Self.nvrtc()
        let library = CUDAKernelLibrary.sky
        let cubin = try nvrtc.compile(library.source, name: "sky_kernels.cu", architecture: architecture)
        // An ELF image for the named architecture, not PTX.
        #expect(Array(cubin.bytes.prefix(4)) == [0x7f, 0x45, 0x4c, 0x46], "not an ELF cubin")
        let resources = cubin.resources
        #expect(Set(resources.keys) == Set(library.kernels.keys), "ptxas reported \(resources.keys.sorted()), source declares \(library.kernels.keys.sorted())\n\(cubin.log)")
        for (name, use) in resources.sorted(by: { $0.key < $1.key }) {
            #expect(use.spillStores == 0 && use.spillLoads == 0, "\(name) spills on \(architecture): \(use)")
            #expect(use.registers > 0 && use.registers <= 255, "\(name) uses \(use.registers) registers on \(architecture)")
        }
    }

    @Test func aCompileErrorNamesTheKernelAndCarriesNVRTCsLog() throws {
        let nvrtc = try Self.nvrtc()
        let broken = #"extern "C" __global__ void sky_broken(float* out) { out[0] = undeclared_name; }"#
        let error = #expect(throws: CUDAError.self) { try nvrtc.compile(broken, name: "broken.cu", architecture: "sm_90") }
        let message = error?.description ?? ""
        #expect(message.contains("compiling broken.cu for sm_90") && message.contains("undeclared_name"), "\(message)")
    }

    @Test func theSourceDeclaresEveryKernelTheBackendLaunchesWithPackableParameters() {
        let kernels = CUDAKernelLibrary.sky.kernels
        #expect(kernels.count == 30, "\(kernels.keys.sorted())")
        #expect(kernels["sky_adamw"] == [.pointer, .pointer, .pointer, .pointer, .int64, .float32, .float32, .float32, .float32,
                                         .float32, .float32])
        #expect(kernels["sky_embedding"] == [.pointer, .pointer, .pointer, .int32, .int32])
    }

    @Test func theCacheKeepsACubinUnderItsWholeKeyAndMissesOnAnyChange() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-cuda-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let cache = CUDAKernelCache(directory: directory)
        let key = CUDAKernelCache.key(source: "source", compiler: "NVRTC 13.0", architecture: "sm_90")
        #expect(cache.load(key: key) == nil)
        cache.store([1, 2, 3], key: key)
        #expect(cache.load(key: key) == [1, 2, 3])
        #expect(cache.load(key: CUDAKernelCache.key(source: "source", compiler: "NVRTC 13.0", architecture: "sm_80")) == nil)
        #expect(cache.load(key: CUDAKernelCache.key(source: "source ", compiler: "NVRTC 13.0", architecture: "sm_90")) == nil)
        // A key file that does not match (a hash collision, or a half-written pair) is a miss, not the wrong kernels.
        let name = CUDAKernelCache.fileName(key)
        try Data("other key".utf8).write(to: directory.appendingPathComponent(name + ".key"))
        #expect(cache.load(key: key) == nil)
    }
}
