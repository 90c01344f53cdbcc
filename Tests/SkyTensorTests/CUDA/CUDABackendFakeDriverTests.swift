import Foundation
import SkyCUDAFake
import SkyTensor
import Testing

/// Every op of the CUDA backend, forward and backward, against the BLAS backend, on the fake driver.
///
/// This checks orchestration, not the kernels' arithmetic on a GPU: the fake runs each kernel's CPU reference
/// (Tests/SkyCUDAFake), so what is proven is that the backend allocates the right sizes, passes the right pointers,
/// offsets, sizes and scalars in the right order, reaches every row and column with its grid, maps row-major
/// products onto cuBLAS's column-major ones, and copies ids in and values out as the BLAS backend's semantics ask.
/// The same op checks run on a real GPU in scripts/gpu/selftest.sh.
@Suite struct CUDABackendFakeDriverTests {
    let blas: BLASBackend
    let driver: FakeCUDADriver
    let cuda: CUDABackend

    init() throws {
        blas = BLASBackend(threads: 1)
        driver = FakeCUDADriver()
        cuda = try CUDABackend(driver: driver)
    }

    @Test(arguments: BackendParity.checks(.small).indices)
    func everyOpForwardAndBackwardMatchesBLAS(index: Int) {
        let check = BackendParity.checks(.small)[index]
        let outcome = BackendParity.compare(check, reference: blas, candidate: cuda)
        #expect(outcome.passed, "\(outcome)")
        #expect(driver.problems.isEmpty, "\(check.name): \(driver.problems)")
    }

    /// With bf16 products (the default on a GPU) every product's operands go through the rounding kernel and
    /// cublasGemmStridedBatchedEx; on values bf16 holds exactly the results are BLAS's to float32's bound.
    @Test(arguments: BackendParity.checks(.small, bf16Products: true).indices)
    func everyOpMatchesBLASWithBFloat16Products(index: Int) throws {
        let driver = FakeCUDADriver()
        let cuda = try CUDABackend(driver: driver, products: .bfloat16)
        let check = BackendParity.checks(.small, bf16Products: true)[index]
        let outcome = BackendParity.compare(check, reference: blas, candidate: cuda)
        #expect(outcome.passed, "\(outcome)")
        #expect(driver.problems.isEmpty, "\(check.name): \(driver.problems)")
    }

    @Test func everyKernelIsLaunchedByTheOpsAboveAndMemoryIsFreed() throws {
        let driver = FakeCUDADriver()
        do {
            for products in DType.allCases {
                let cuda = try CUDABackend(driver: driver, products: products)
                for check in BackendParity.checks(.small, bf16Products: products == .bfloat16) {
                    #expect(BackendParity.compare(check, reference: blas, candidate: cuda).passed, "\(check.name)")
                }
            }
        }
        #expect(Set(driver.launches.keys) == Set(CUDAKernelLibrary.sky.kernels.keys).union(["cublasSgemmStridedBatched"]),
                "never launched: \(Set(CUDAKernelLibrary.sky.kernels.keys).subtracting(driver.launches.keys).sorted())")
        // Tensors, scratch buffers and the backend are gone: every allocation came back.
        #expect(driver.liveAllocations.count == 0, "\(driver.liveAllocations.count) allocations (\(driver.liveAllocations.bytes) bytes) never freed")
        #expect(driver.problems.isEmpty, "\(driver.problems)")
    }

    @Test func outOfDeviceMemoryIsKeptAndReportedWithTheSizesThatDidNotFit() throws {
        let driver = FakeCUDADriver(memoryLimit: 1 << 20)
        let cuda = try CUDABackend(driver: driver)
        let small = cuda.tensor([1, 2, 3], shape: [3])
        let huge = cuda.zeros([1024, 1024])
        // Ops after the failure do nothing (as a GPU's queued work after a fault) instead of crashing.
        cuda.add(small, small, small)
        _ = huge
        let error = #expect(throws: CUDAError.self) { try cuda.checkForFailure() }
        #expect(error?.isOutOfMemory == true)
        let message = error?.description ?? ""
        #expect(message.contains("[1024, 1024]") && message.contains("4194304 bytes") && message.contains("lower the micro-batch"), "\(message)")
    }
}

extension CUDABackendFakeDriverTests {
    /// The backend counts the device bytes it holds (tensors and scratch) and their peak, as the fake driver sees them.
    @Test func deviceMemoryHeldIsCountedWithItsPeak() throws {
        let driver = FakeCUDADriver()
        let cuda = try CUDABackend(driver: driver)
        let a = cuda.zeros([256, 4])
        #expect(cuda.memory.bytes == 4096)
        do {
            let b = cuda.zeros([1024])
            #expect(cuda.memory.bytes == 8192 && b.count == 1024)
        }
        #expect(cuda.memory.bytes == 4096 && cuda.memory.peakBytes == 8192)
        cuda.memory.resetPeak()
        #expect(cuda.memory.peakBytes == 4096)
        _ = cuda.sumOfSquares(a)  // a scratch buffer for the partial sums
        #expect(cuda.memory.bytes > 4096 && cuda.memory.bytes == driver.liveAllocations.bytes)
    }

    /// Positions rotated in every layer go up once: an upload slot holding the same bytes is not written again.
    @Test func repeatedIdsAndPositionsAreUploadedOnce() throws {
        let driver = FakeCUDADriver()
        let cuda = try CUDABackend(driver: driver)
        let cos = cuda.tensor([Float](repeating: 1, count: 8), shape: [4, 2]), sin = cuda.zeros([4, 2])
        let x = cuda.tensor(BackendParity.random(12, seed: 1), shape: [3, 4])
        let before = driver.uploads
        for _ in 0..<5 { cuda.rope(x, x, positions: [0, 1, 2], cos: cos, sin: sin, headDim: 4) }
        #expect(driver.uploads == before + 1)
        cuda.rope(x, x, positions: [1, 2, 3], cos: cos, sin: sin, headDim: 4)
        #expect(driver.uploads == before + 2)
        #expect(driver.problems.isEmpty)
    }
}
