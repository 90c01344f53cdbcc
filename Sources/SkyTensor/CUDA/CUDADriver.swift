import Foundation

/// The real device: the CUDA driver API, cuBLAS and NVRTC, all loaded at run time with `dlopen`.
///
/// Every call makes the primary context current first (a context is current per thread, and Swift moves work between
/// threads) and runs under one lock, on the default stream, so work is ordered as it was queued.
public final class CUDADriver: CUDADriverAPI, @unchecked Sendable {
    private typealias InitFn = @convention(c) (UInt32) -> Int32
    private typealias IntOutFn = @convention(c) (UnsafeMutablePointer<Int32>) -> Int32
    private typealias DeviceGetFn = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    private typealias NameFn = @convention(c) (UnsafeMutablePointer<CChar>, Int32, Int32) -> Int32
    private typealias AttributeFn = @convention(c) (UnsafeMutablePointer<Int32>, Int32, Int32) -> Int32
    private typealias TotalMemFn = @convention(c) (UnsafeMutablePointer<Int>, Int32) -> Int32
    private typealias RetainFn = @convention(c) (UnsafeMutablePointer<OpaquePointer?>, Int32) -> Int32
    private typealias SetCurrentFn = @convention(c) (OpaquePointer?) -> Int32
    private typealias AllocFn = @convention(c) (UnsafeMutablePointer<UInt64>, Int) -> Int32
    private typealias FreeFn = @convention(c) (UInt64) -> Int32
    private typealias HtoDFn = @convention(c) (UInt64, UnsafeRawPointer?, Int) -> Int32
    private typealias DtoHFn = @convention(c) (UnsafeMutableRawPointer?, UInt64, Int) -> Int32
    private typealias DtoDFn = @convention(c) (UInt64, UInt64, Int) -> Int32
    private typealias ModuleLoadFn = @convention(c) (UnsafeMutablePointer<OpaquePointer?>, UnsafeRawPointer) -> Int32
    private typealias GetFunctionFn = @convention(c) (UnsafeMutablePointer<OpaquePointer?>, OpaquePointer?, UnsafePointer<CChar>) -> Int32
    private typealias LaunchFn = @convention(c) (OpaquePointer?, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, OpaquePointer?,
                                                 UnsafeMutablePointer<UnsafeMutableRawPointer?>?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?) -> Int32
    private typealias SyncFn = @convention(c) () -> Int32
    private typealias ErrorNameFn = @convention(c) (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>) -> Int32
    private typealias BlasCreateFn = @convention(c) (UnsafeMutablePointer<OpaquePointer?>) -> Int32
    private typealias BlasVersionFn = @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int32>) -> Int32
    private typealias GemmBatchedExFn = @convention(c) (OpaquePointer?, Int32, Int32, Int32, Int32, Int32, UnsafeRawPointer, UInt64, Int32, Int32,
                                                        Int64, UInt64, Int32, Int32, Int64, UnsafeRawPointer, UInt64, Int32, Int32, Int64, Int32,
                                                        Int32, Int32) -> Int32
    private typealias GemmBatchedFn = @convention(c) (OpaquePointer?, Int32, Int32, Int32, Int32, Int32, UnsafePointer<Float>, UInt64, Int32, Int64,
                                                      UInt64, Int32, Int64, UnsafePointer<Float>, UInt64, Int32, Int64, Int32) -> Int32

    /// The GPU, its compute capability and the driver, cuBLAS and NVRTC versions.
    public let device: BackendDevice
    /// "sm_90": what the kernels are compiled for.
    public let architecture: String
    /// Total device memory in bytes.
    public let totalMemory: Int

    private let lock = NSLock()
    private let context: OpaquePointer?
    private let nvrtc: NVRTC
    private let cache: CUDAKernelCache
    private let blas: OpaquePointer?
    private let setCurrent: SetCurrentFn, alloc: AllocFn, release: FreeFn
    private let htod: HtoDFn, dtoh: DtoHFn, dtod: DtoDFn
    private let moduleLoad: ModuleLoadFn, getFunction: GetFunctionFn, launchKernel: LaunchFn, syncContext: SyncFn
    private let errorName: ErrorNameFn, gemmBatched: GemmBatchedFn, gemmBatchedEx: GemmBatchedExFn
    private var modules: [OpaquePointer?] = []

    /// Opens the driver, device `ordinal` (after CUDA_VISIBLE_DEVICES), its primary context, cuBLAS and NVRTC; what
    /// is missing is named with how to point Sky at it.
    public static func open(ordinal: Int = 0, environment: [String: String]? = nil) throws(BackendUnavailable) -> CUDADriver {
        let environment = environment ?? ProcessInfo.processInfo.environment
        let driver = try CUDALibraries.open(CUDALibraries.driver, what: "the CUDA driver", environment: environment, toolkit: false).get()
        let nvrtc = try NVRTC.load(environment: environment).get()
        let cublas = try CUDALibraries.open(CUDALibraries.cublas, what: "cuBLAS", environment: environment, toolkit: true).get()
        do {
            return try CUDADriver(driver: driver, cublas: cublas, nvrtc: nvrtc, ordinal: ordinal,
                                  cache: .standard(environment: environment))
        } catch {
            throw BackendUnavailable("backend cuda: \(error.description)")
        }
    }

    private init(driver: CUDALibraries.Opened, cublas: CUDALibraries.Opened, nvrtc: NVRTC, ordinal: Int,
                 cache: CUDAKernelCache) throws(CUDAError) {
        self.nvrtc = nvrtc
        self.cache = cache
        errorName = try CUDALibraries.symbol(driver, "cuGetErrorName", as: ErrorNameFn.self)
        let errorName = self.errorName
        func check(_ result: Int32, _ call: String) throws(CUDAError) {
            guard result != 0 else { return }
            throw CUDADriver.error(result, call, errorName)
        }
        try check(try CUDALibraries.symbol(driver, "cuInit", as: InitFn.self)(0), "cuInit")
        var count: Int32 = 0
        try check(try CUDALibraries.symbol(driver, "cuDeviceGetCount", as: IntOutFn.self)(&count), "cuDeviceGetCount")
        guard ordinal < count else { throw CUDAError("cuda: device \(ordinal) asked for, \(count) visible (CUDA_VISIBLE_DEVICES)") }
        var handle: Int32 = 0
        try check(try CUDALibraries.symbol(driver, "cuDeviceGet", as: DeviceGetFn.self)(&handle, Int32(ordinal)), "cuDeviceGet")
        var name = [CChar](repeating: 0, count: 256)
        try check(try CUDALibraries.symbol(driver, "cuDeviceGetName", as: NameFn.self)(&name, 256, handle), "cuDeviceGetName")
        let attribute = try CUDALibraries.symbol(driver, "cuDeviceGetAttribute", as: AttributeFn.self)
        var major: Int32 = 0, minor: Int32 = 0
        // CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR / _MINOR
        try check(attribute(&major, 75, handle), "cuDeviceGetAttribute")
        try check(attribute(&minor, 76, handle), "cuDeviceGetAttribute")
        var memory = 0
        try check(try CUDALibraries.symbol(driver, "cuDeviceTotalMem_v2", as: TotalMemFn.self)(&memory, handle), "cuDeviceTotalMem_v2")
        var driverVersion: Int32 = 0
        try check(try CUDALibraries.symbol(driver, "cuDriverGetVersion", as: IntOutFn.self)(&driverVersion), "cuDriverGetVersion")
        var context: OpaquePointer?
        try check(try CUDALibraries.symbol(driver, "cuDevicePrimaryCtxRetain", as: RetainFn.self)(&context, handle), "cuDevicePrimaryCtxRetain")
        self.context = context
        setCurrent = try CUDALibraries.symbol(driver, "cuCtxSetCurrent", as: SetCurrentFn.self)
        try check(setCurrent(context), "cuCtxSetCurrent")
        alloc = try CUDALibraries.symbol(driver, "cuMemAlloc_v2", as: AllocFn.self)
        release = try CUDALibraries.symbol(driver, "cuMemFree_v2", as: FreeFn.self)
        htod = try CUDALibraries.symbol(driver, "cuMemcpyHtoD_v2", as: HtoDFn.self)
        dtoh = try CUDALibraries.symbol(driver, "cuMemcpyDtoH_v2", as: DtoHFn.self)
        dtod = try CUDALibraries.symbol(driver, "cuMemcpyDtoD_v2", as: DtoDFn.self)
        moduleLoad = try CUDALibraries.symbol(driver, "cuModuleLoadData", as: ModuleLoadFn.self)
        getFunction = try CUDALibraries.symbol(driver, "cuModuleGetFunction", as: GetFunctionFn.self)
        launchKernel = try CUDALibraries.symbol(driver, "cuLaunchKernel", as: LaunchFn.self)
        syncContext = try CUDALibraries.symbol(driver, "cuCtxSynchronize", as: SyncFn.self)
        var blas: OpaquePointer?
        let created = try CUDALibraries.symbol(cublas, "cublasCreate_v2", as: BlasCreateFn.self)(&blas)
        guard created == 0 else { throw CUDAError("cuda: cublasCreate_v2 failed with status \(created) (\(cublas.path))", code: created) }
        self.blas = blas
        var blasVersion: Int32 = 0
        _ = try CUDALibraries.symbol(cublas, "cublasGetVersion_v2", as: BlasVersionFn.self)(blas, &blasVersion)
        gemmBatched = try CUDALibraries.symbol(cublas, "cublasSgemmStridedBatched", as: GemmBatchedFn.self)
        gemmBatchedEx = try CUDALibraries.symbol(cublas, "cublasGemmStridedBatchedEx", as: GemmBatchedExFn.self)
        architecture = "sm_\(major)\(minor)"
        totalMemory = memory
        let gpuName = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        device = BackendDevice(
            kind: "gpu", name: gpuName,
            library: "CUDA driver \(driverVersion / 1000).\(driverVersion % 1000 / 10), cuBLAS \(blasVersion / 10000).\(blasVersion / 100 % 100).\(blasVersion % 100), NVRTC \(nvrtc.version)",
            kernels: "sm_\(major)\(minor)")
    }

    private static func error(_ result: Int32, _ call: String, _ errorName: ErrorNameFn) -> CUDAError {
        var text: UnsafePointer<CChar>?
        let name = errorName(result, &text) == 0 ? text.map { String(cString: $0) } ?? "error \(result)" : "error \(result)"
        return CUDAError("cuda: \(call) failed: \(name)", code: result)
    }

    private func check(_ result: Int32, _ call: String) throws(CUDAError) {
        guard result != 0 else { return }
        throw Self.error(result, call, errorName)
    }

    /// Runs `body` with the context current, under the lock.
    private func locked<R>(_ body: () throws(CUDAError) -> R) throws(CUDAError) -> R {
        lock.lock()
        defer { lock.unlock() }
        try check(setCurrent(context), "cuCtxSetCurrent")
        return try body()
    }

    public func allocate(bytes: Int) throws(CUDAError) -> CUDADevicePointer {
        try locked { () throws(CUDAError) -> CUDADevicePointer in
            var pointer: UInt64 = 0
            // Never zero bytes: the driver refuses them.
            try check(alloc(&pointer, max(bytes, 4)), "cuMemAlloc_v2(\(bytes) bytes)")
            return pointer
        }
    }

    public func free(_ pointer: CUDADevicePointer) {
        try? locked { () throws(CUDAError) in _ = release(pointer) }
    }

    public func copyToDevice(_ destination: CUDADevicePointer, from source: UnsafeRawPointer, bytes: Int) throws(CUDAError) {
        guard bytes > 0 else { return }
        try locked { () throws(CUDAError) in try check(htod(destination, source, bytes), "cuMemcpyHtoD_v2(\(bytes) bytes)") }
    }

    public func copyToHost(_ destination: UnsafeMutableRawPointer, from source: CUDADevicePointer, bytes: Int) throws(CUDAError) {
        guard bytes > 0 else { return }
        try locked { () throws(CUDAError) in try check(dtoh(destination, source, bytes), "cuMemcpyDtoH_v2(\(bytes) bytes)") }
    }

    public func copyOnDevice(_ destination: CUDADevicePointer, from source: CUDADevicePointer, bytes: Int) throws(CUDAError) {
        guard bytes > 0 else { return }
        try locked { () throws(CUDAError) in try check(dtod(destination, source, bytes), "cuMemcpyDtoD_v2(\(bytes) bytes)") }
    }

    public func load(_ library: CUDAKernelLibrary) throws(CUDAError) -> [String: CUDAFunction] {
        let key = CUDAKernelCache.key(source: library.source, compiler: "NVRTC \(nvrtc.version)", architecture: architecture)
        let image: [UInt8]
        if let cached = cache.load(key: key) {
            image = cached
        } else {
            image = try nvrtc.compile(library.source, name: "sky_kernels.cu", architecture: architecture).bytes
            cache.store(image, key: key)
        }
        return try locked { () throws(CUDAError) -> [String: CUDAFunction] in
            var module: OpaquePointer?
            let loaded = image.withUnsafeBytes { raw in raw.baseAddress.map { moduleLoad(&module, $0) } ?? 218 }
            try check(loaded, "cuModuleLoadData(\(architecture) cubin of \(image.count) bytes)")
            modules.append(module)
            var functions: [String: CUDAFunction] = [:]
            for (name, parameters) in library.kernels {
                var function: OpaquePointer?
                try check(getFunction(&function, module, name), "cuModuleGetFunction(\(name))")
                functions[name] = CUDAFunction(name: name, handle: UInt(bitPattern: UnsafeRawPointer(function)), parameters: parameters)
            }
            return functions
        }
    }

    public func launch(_ function: CUDAFunction, grid: CUDADim, block: CUDADim, sharedBytes: Int,
                       arguments: [CUDAKernelArgument]) throws(CUDAError) {
        // cuLaunchKernel takes one pointer per argument to that argument's bytes; 8 bytes holds any of them.
        let storage = UnsafeMutableRawPointer.allocate(byteCount: max(1, arguments.count) * 8, alignment: 8)
        defer { storage.deallocate() }
        var pointers: [UnsafeMutableRawPointer?] = []
        for (index, argument) in arguments.enumerated() {
            let slot = storage + index * 8
            switch argument {
            case .pointer(let value): slot.storeBytes(of: value, as: UInt64.self)
            case .int32(let value): slot.storeBytes(of: value, as: Int32.self)
            case .int64(let value): slot.storeBytes(of: value, as: Int64.self)
            case .float32(let value): slot.storeBytes(of: value, as: Float.self)
            }
            pointers.append(slot)
        }
        try locked { () throws(CUDAError) in
            let result = pointers.withUnsafeMutableBufferPointer { buffer in
                launchKernel(OpaquePointer(bitPattern: function.handle), UInt32(grid.x), UInt32(grid.y), UInt32(grid.z),
                             UInt32(block.x), UInt32(block.y), UInt32(block.z), UInt32(sharedBytes), nil, buffer.baseAddress, nil)
            }
            try check(result, "cuLaunchKernel(\(function.name), grid \(grid), block \(block), \(sharedBytes) shared bytes)")
        }
    }

    public func gemm(_ p: CUDAGemm) throws(CUDAError) {
        try locked { () throws(CUDAError) in
            var alpha = p.alpha, beta = p.beta
            let status: Int32
            if p.inputs == .bfloat16 {
                // CUDA_R_16BF inputs, CUDA_R_32F output, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT: tensor cores, float32 sums.
                let bf16: Int32 = 14, f32: Int32 = 0, compute32F: Int32 = 68, defaultAlgorithm: Int32 = -1
                status = withUnsafePointer(to: &alpha) { a in
                    withUnsafePointer(to: &beta) { b in
                        gemmBatchedEx(blas, p.transposeA ? 1 : 0, p.transposeB ? 1 : 0, Int32(p.m), Int32(p.n), Int32(p.k), UnsafeRawPointer(a),
                                      p.a, bf16, Int32(p.lda), Int64(p.strideA), p.b, bf16, Int32(p.ldb), Int64(p.strideB), UnsafeRawPointer(b),
                                      p.c, f32, Int32(p.ldc), Int64(p.strideC), Int32(p.batch), compute32F, defaultAlgorithm)
                    }
                }
            } else {
                status = gemmBatched(blas, p.transposeA ? 1 : 0, p.transposeB ? 1 : 0, Int32(p.m), Int32(p.n), Int32(p.k), &alpha,
                                     p.a, Int32(p.lda), Int64(p.strideA), p.b, Int32(p.ldb), Int64(p.strideB), &beta,
                                     p.c, Int32(p.ldc), Int64(p.strideC), Int32(p.batch))
            }
            guard status == 0 else {
                throw CUDAError("cuda: cuBLAS \(p.inputs) product (m \(p.m), n \(p.n), k \(p.k), batch \(p.batch)) failed with status \(status)",
                                code: status == 3 ? 2 : status)  // CUBLAS_STATUS_ALLOC_FAILED is out of memory
            }
        }
    }

    public func synchronize() throws(CUDAError) {
        try locked { () throws(CUDAError) in try check(syncContext(), "cuCtxSynchronize") }
    }
}
