import CBLAS
import Foundation
public import SkyTensor

/// A CUDA device made of host memory that runs each kernel's CPU reference (`FakeCUDAKernels`) by name, and
/// cuBLAS's column-major products through OpenBLAS.
///
/// What it proves: the CUDA backend's host side — allocations and their sizes, tensor offsets, the launch arguments
/// checked against each kernel's declared parameters, grid and block sizes (a reference covers only the rows and
/// columns the grid reaches, so a grid too small leaves the fill pattern behind), shared-memory sizes, the row-major
/// to column-major product mapping, uploads of ids and downloads — against the BLAS backend. What it does not prove:
/// the kernels' own arithmetic on a GPU (the references restate it in Swift), timing, or stream concurrency; those
/// need a GPU run (scripts/gpu/selftest.sh).
public final class FakeCUDADriver: CUDADriverAPI, @unchecked Sendable {
    private let lock = NSLock()
    private var allocations: [(start: UInt64, bytes: Int)] = []
    private var launchCounts: [String: Int] = [:]
    private var recordedProblems: [String] = []
    private var hostToDevice = 0
    private var deviceToHost = 0
    /// Allocations larger than this fail as out of memory (CUDA_ERROR_OUT_OF_MEMORY), to test that path.
    public var memoryLimit: Int?

    /// A fake device with no memory limit.
    public init(memoryLimit: Int? = nil) {
        self.memoryLimit = memoryLimit
    }

    /// Says what it is wherever results record their device.
    public var device: BackendDevice {
        BackendDevice(kind: "gpu", name: "fake CUDA device (host memory, CPU references)", library: "fake driver", kernels: "sm_90")
    }

    /// Misuses seen so far (out-of-range pointers, bad launch sizes, double frees); empty when the host side is right.
    public var problems: [String] { lock.withLock { recordedProblems } }
    /// Copies from the host so far.
    public var uploads: Int { lock.withLock { hostToDevice } }
    /// Copies to the host so far.
    public var downloads: Int { lock.withLock { deviceToHost } }
    /// Launches so far, by kernel name.
    public var launches: [String: Int] { lock.withLock { launchCounts } }
    /// Live allocations and their bytes.
    public var liveAllocations: (count: Int, bytes: Int) { lock.withLock { (allocations.count, allocations.reduce(0) { $0 + $1.bytes }) } }

    func problem(_ text: String) -> CUDAError {
        lock.withLock { recordedProblems.append(text) }
        return CUDAError("fake CUDA: \(text)")
    }

    public func allocate(bytes: Int) throws(CUDAError) -> CUDADevicePointer {
        if let memoryLimit, bytes > memoryLimit {
            throw CUDAError("cuda: cuMemAlloc_v2(\(bytes) bytes) failed: CUDA_ERROR_OUT_OF_MEMORY", code: 2)
        }
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(bytes, 4), alignment: 256)
        // NaN bytes: anything read before the backend wrote it shows up in the results.
        raw.initializeMemory(as: UInt8.self, repeating: 0xFF, count: max(bytes, 4))
        let start = UInt64(UInt(bitPattern: raw))
        lock.withLock {
            let at = allocations.firstIndex { $0.start > start } ?? allocations.count
            allocations.insert((start, max(bytes, 4)), at: at)
        }
        return start
    }

    public func free(_ pointer: CUDADevicePointer) {
        let found: Bool = lock.withLock {
            guard let index = allocations.firstIndex(where: { $0.start == pointer }) else { return false }
            allocations.remove(at: index)
            return true
        }
        guard found, let raw = UnsafeMutableRawPointer(bitPattern: UInt(pointer)) else {
            _ = problem("free of \(pointer), which is not a live allocation")
            return
        }
        raw.deallocate()
    }

    /// `address` through `address + bytes` inside one live allocation, or the problem.
    func checkRange(_ address: CUDADevicePointer, bytes: Int, _ what: @autoclosure () -> String) throws(CUDAError) {
        let inside = lock.withLock { () -> Bool in
            // The last allocation starting at or before address.
            var low = 0, high = allocations.count
            while low < high {
                let mid = (low + high) / 2
                if allocations[mid].start <= address { low = mid + 1 } else { high = mid }
            }
            guard low > 0 else { return false }
            let a = allocations[low - 1]
            return address + UInt64(max(bytes, 0)) <= a.start + UInt64(a.bytes)
        }
        if !inside { throw problem("\(what()): \(bytes) bytes at \(address) are not inside one allocation") }
    }

    public func copyToDevice(_ destination: CUDADevicePointer, from source: UnsafeRawPointer, bytes: Int) throws(CUDAError) {
        try checkRange(destination, bytes: bytes, "copy to device")
        lock.withLock { hostToDevice += 1 }
        UnsafeMutableRawPointer(bitPattern: UInt(destination))?.copyMemory(from: source, byteCount: bytes)
    }

    public func copyToHost(_ destination: UnsafeMutableRawPointer, from source: CUDADevicePointer, bytes: Int) throws(CUDAError) {
        try checkRange(source, bytes: bytes, "copy to host")
        lock.withLock { deviceToHost += 1 }
        if let raw = UnsafeRawPointer(bitPattern: UInt(source)) { destination.copyMemory(from: raw, byteCount: bytes) }
    }

    public func copyOnDevice(_ destination: CUDADevicePointer, from source: CUDADevicePointer, bytes: Int) throws(CUDAError) {
        try checkRange(destination, bytes: bytes, "device copy destination")
        try checkRange(source, bytes: bytes, "device copy source")
        if let to = UnsafeMutableRawPointer(bitPattern: UInt(destination)), let from = UnsafeRawPointer(bitPattern: UInt(source)) {
            to.copyMemory(from: from, byteCount: bytes)
        }
    }

    public func load(_ library: CUDAKernelLibrary) throws(CUDAError) -> [String: CUDAFunction] {
        var functions: [String: CUDAFunction] = [:]
        for (index, (name, parameters)) in library.kernels.sorted(by: { $0.key < $1.key }).enumerated() {
            guard FakeCUDAKernels.references[name] != nil else { throw problem("kernel \(name) has no CPU reference") }
            functions[name] = CUDAFunction(name: name, handle: UInt(index), parameters: parameters)
        }
        return functions
    }

    public func launch(_ function: CUDAFunction, grid: CUDADim, block: CUDADim, sharedBytes: Int,
                       arguments: [CUDAKernelArgument]) throws(CUDAError) {
        let name = function.name
        guard arguments.map(\.kind) == function.parameters else { throw problem("\(name): arguments do not match its parameters") }
        guard grid.x >= 1, grid.y >= 1, grid.z >= 1, grid.x < 1 << 31, grid.y <= 65_535, grid.z <= 65_535 else {
            throw problem("\(name): grid \(grid) outside the device's limits")
        }
        // Sky's kernels reduce over whole warps and index threads along x only.
        guard block.total <= 1024, block.y == 1, block.z == 1, block.x % 32 == 0 else {
            throw problem("\(name): block \(block) is not a whole number of warps along x, at most 1024")
        }
        guard sharedBytes >= 0, sharedBytes <= 48 * 1024 else { throw problem("\(name): \(sharedBytes) bytes of dynamic shared memory") }
        guard let reference = FakeCUDAKernels.references[name] else { throw problem("kernel \(name) has no CPU reference") }
        lock.withLock { launchCounts[name, default: 0] += 1 }
        try reference(FakeLaunch(driver: self, name: name, grid: grid, block: block, sharedBytes: sharedBytes, arguments: arguments))
    }

    public func gemm(_ p: CUDAGemm) throws(CUDAError) {
        lock.withLock { launchCounts["cublasSgemmStridedBatched", default: 0] += 1 }
        guard p.m >= 0, p.n >= 0, p.k >= 0, p.batch >= 1 else { throw problem("gemm with sizes \(p.m), \(p.n), \(p.k), batch \(p.batch)") }
        // Column-major: A is lda × (k or m) and must hold op(A)'s rows in lda; likewise B and C.
        let (aRows, aColumns) = p.transposeA ? (p.k, p.m) : (p.m, p.k)
        let (bRows, bColumns) = p.transposeB ? (p.n, p.k) : (p.k, p.n)
        guard p.lda >= max(1, aRows), p.ldb >= max(1, bRows), p.ldc >= max(1, p.m) else {
            throw problem("gemm leading dimensions \(p.lda), \(p.ldb), \(p.ldc) for A \(aRows)×\(aColumns), B \(bRows)×\(bColumns), C \(p.m)×\(p.n)")
        }
        let size = p.inputs.byteCount
        for i in 0..<p.batch {
            let a = p.a + UInt64(i * p.strideA * size), b = p.b + UInt64(i * p.strideB * size), c = p.c + UInt64(i * p.strideC * 4)
            let aCount = (aColumns - 1) * p.lda + aRows, bCount = (bColumns - 1) * p.ldb + bRows
            try checkRange(a, bytes: aCount * size, "gemm A")
            try checkRange(b, bytes: bCount * size, "gemm B")
            try checkRange(c, bytes: ((p.n - 1) * p.ldc + p.m) * 4, "gemm C")
            guard let cp = UnsafeMutablePointer<Float>(bitPattern: UInt(c)) else { continue }
            // bf16 inputs are widened exactly (as the tensor cores read them); the sums are float32 either way.
            let av = Self.floats(at: a, count: aCount, dtype: p.inputs), bv = Self.floats(at: b, count: bCount, dtype: p.inputs)
            cblas_sgemm(CblasColMajor, p.transposeA ? CblasTrans : CblasNoTrans, p.transposeB ? CblasTrans : CblasNoTrans,
                        Int32(p.m), Int32(p.n), Int32(p.k), p.alpha, av, Int32(p.lda), bv, Int32(p.ldb), p.beta, cp, Int32(p.ldc))
        }
    }

    public func synchronize() throws(CUDAError) {}

    /// `count` elements at `address` as float32.
    static func floats(at address: CUDADevicePointer, count: Int, dtype: DType) -> [Float] {
        switch dtype {
        case .float32:
            return Array(UnsafeBufferPointer(start: UnsafePointer<Float>(bitPattern: UInt(address)), count: count))
        case .bfloat16:
            return UnsafeBufferPointer(start: UnsafePointer<UInt16>(bitPattern: UInt(address)), count: count).map(DType.float(bfloat16:))
        }
    }
}

/// One kernel launch as a reference sees it: sizes and typed access to the arguments, each pointer checked to lie
/// inside an allocation for as many elements as the reference reads or writes.
public struct FakeLaunch {
    let driver: FakeCUDADriver
    /// The kernel.
    public let name: String
    /// The launch's sizes.
    public let grid: CUDADim, block: CUDADim, sharedBytes: Int
    let arguments: [CUDAKernelArgument]

    /// Argument `i` as `count` floats.
    public func floats(_ i: Int, _ count: Int) throws(CUDAError) -> UnsafeMutablePointer<Float> {
        try pointer(i, count * 4, as: Float.self)
    }

    /// Argument `i` as `count` ints.
    public func ints(_ i: Int, _ count: Int) throws(CUDAError) -> UnsafeMutablePointer<Int32> {
        try pointer(i, count * 4, as: Int32.self)
    }

    /// Argument `i` as `count` bfloat16 bit patterns.
    public func halves(_ i: Int, _ count: Int) throws(CUDAError) -> UnsafeMutablePointer<UInt16> {
        try pointer(i, count * 2, as: UInt16.self)
    }

    /// Argument `i` as `count` doubles.
    public func doubles(_ i: Int, _ count: Int) throws(CUDAError) -> UnsafeMutablePointer<Double> {
        try pointer(i, count * 8, as: Double.self)
    }

    private func pointer<T>(_ i: Int, _ bytes: Int, as: T.Type) throws(CUDAError) -> UnsafeMutablePointer<T> {
        guard case .pointer(let address) = arguments[i] else { throw driver.problem("\(name): argument \(i) is not a pointer") }
        try driver.checkRange(address, bytes: bytes, "\(name) argument \(i)")
        guard let p = UnsafeMutablePointer<T>(bitPattern: UInt(address)) else { throw driver.problem("\(name): argument \(i) is null") }
        return p
    }

    /// Argument `i` as an `int`.
    public func int(_ i: Int) -> Int {
        if case .int32(let value) = arguments[i] { return Int(value) }
        if case .int64(let value) = arguments[i] { return Int(value) }
        preconditionFailure("\(name): argument \(i) is not an integer")
    }

    /// Argument `i` as a `float`.
    public func float(_ i: Int) -> Float {
        guard case .float32(let value) = arguments[i] else { preconditionFailure("\(name): argument \(i) is not a float") }
        return value
    }

    /// How many of `count` rows one-block-per-row kernels reach with this grid.
    public func rowsReached(_ count: Int) -> Int { min(count, grid.x) }

    /// How many rows one-warp-per-row kernels reach (grid.x blocks of block.x / 32 warps).
    public var warpsReached: Int { grid.x * (block.x / 32) }

    /// How many of `count` columns one-thread-per-column kernels reach.
    public func columnsReached(_ count: Int) -> Int { min(count, grid.x * block.x) }
}
