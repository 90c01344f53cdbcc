import Foundation

/// The GPU backend: tensors in device memory, products through cuBLAS, every other op a kernel of
/// `CUDAKernelSource` compiled by NVRTC for the device at start.
///
/// Device work is queued and fails late, as CUDA does: the first failed call (out of memory included) is kept, every
/// op after it does nothing, and `checkForFailure()` throws it with the sizes that did not fit. Callers check at step
/// boundaries, where an attempt can fail cleanly and keep its last checkpoint.
public final class CUDABackend: Backend, @unchecked Sendable {
    /// The device the ops run on.
    public let driver: any CUDADriverAPI
    private let kernels: [String: CUDAFunction]
    private let failure = LockedValue<CUDAError?>(nil)
    private let scratch: CUDAScratch
    /// What each upload slot holds now (only `upload` writes those slots).
    private let uploaded = LockedValue<[String: UploadedBytes]>([:])
    /// Device bytes this backend holds now and at most since `resetPeakMemory()` (tensors and scratch buffers).
    public let memory = CUDAMemoryCounter()

    /// How matrix products take their inputs: bfloat16 (rounded on the way in, tensor cores, float32 sums: mixed
    /// precision, the default on a GPU) or float32 (cuBLAS's float32 arithmetic, for checks against BLAS). A product
    /// with a bf16 operand (a bf16 weight) always runs in bf16.
    public let products: DType

    /// A backend on `driver`, with Sky's kernels loaded (compiled, or read from the cache).
    public init(driver: any CUDADriverAPI, products: DType = .float32) throws(CUDAError) {
        self.driver = driver
        self.products = products
        kernels = try driver.load(.sky)
        scratch = CUDAScratch(driver: driver, memory: memory)
    }

    /// A backend on this machine's GPU `ordinal`, or why there is none.
    public static func start(ordinal: Int = 0, products: DType = .bfloat16, environment: [String: String]? = nil)
        throws(BackendUnavailable) -> CUDABackend {
        let driver = try CUDADriver.open(ordinal: ordinal, environment: environment)
        do {
            return try CUDABackend(driver: driver, products: products)
        } catch {
            throw BackendUnavailable("backend cuda: \(error.description)")
        }
    }

    /// Always "cuda".
    public var name: String { "cuda" }

    /// The GPU and library versions.
    public var device: BackendDevice { driver.device }

    /// Waits for the queued work, then throws the first failure; a timing that ends here has measured the work itself.
    public func checkForFailure() throws {
        attempt { () throws(CUDAError) in try driver.synchronize() }
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Whether an earlier call failed; ops then do nothing until the backend is dropped.
    var failed: Bool { failure.withLock { $0 != nil } }

    /// Keeps the first failure.
    func record(_ error: CUDAError) {
        failure.withLock { if $0 == nil { $0 = error } }
    }

    /// Runs a driver call, recording its failure instead of throwing (ops have no error channel of their own).
    func attempt(_ body: () throws(CUDAError) -> Void) {
        guard !failed else { return }
        do { try body() } catch { record(error) }
    }

    public func zeros(_ shape: [Int]) -> Tensor {
        let count = shape.reduce(1, *)
        precondition(count >= 0, "negative dimension in shape \(shape)")
        let storage: CUDAStorage
        do {
            storage = CUDAStorage(pointer: try driver.allocate(bytes: count * 4), count: count, driver: driver, memory: memory)
        } catch {
            record(CUDAError("\(error.description) for a tensor of shape \(shape) (\(count * 4) bytes); "
                + "lower the micro-batch or the sequence length", code: error.code))
            storage = CUDAStorage(pointer: 0, count: count, driver: nil, memory: nil)
        }
        let tensor = Tensor(shape: shape, storage: storage)
        fill(tensor, 0)
        return tensor
    }

    /// Kept as bfloat16 on the device (half the memory of float32): weights a product reads in bf16 anyway.
    public func tensor(bfloat16 bits: UnsafeBufferPointer<UInt16>, shape: [Int], owner: (any AnyObject & Sendable)?) -> Tensor {
        let count = shape.reduce(1, *)
        precondition(bits.count == count, "\(bits.count) values for shape \(shape)")
        let storage: CUDAStorage
        do {
            storage = CUDAStorage(pointer: try driver.allocate(bytes: count * 2), count: count, dtype: .bfloat16, driver: driver, memory: memory)
        } catch {
            record(CUDAError("\(error.description) for a bf16 tensor of shape \(shape) (\(count * 2) bytes)", code: error.code))
            storage = CUDAStorage(pointer: 0, count: count, dtype: .bfloat16, driver: nil, memory: nil)
        }
        let t = Tensor(shape: shape, storage: storage)
        attempt { () throws(CUDAError) in try copy(Array(bits), to: t.anyDevicePointer) }
        return t
    }

    public func tensor(_ values: [Float], shape: [Int]) -> Tensor {
        precondition(values.count == shape.reduce(1, *), "\(values.count) values for shape \(shape)")
        let t = zeros(shape)
        attempt { () throws(CUDAError) in try copy(values, to: t.devicePointer) }
        return t
    }

    public func toArray(_ tensor: Tensor) -> [Float] {
        if tensor.dtype == .bfloat16 {
            var bits = [UInt16](repeating: 0, count: tensor.count)
            attempt { () throws(CUDAError) in try copy(tensor.anyDevicePointer, into: &bits) }
            return bits.map(DType.float(bfloat16:))
        }
        var values = [Float](repeating: 0, count: tensor.count)
        attempt { () throws(CUDAError) in try copy(tensor.devicePointer, into: &values) }
        return values
    }

    public func copy(_ out: Tensor, _ input: Tensor) {
        precondition(out.count == input.count, "copy of \(input.shape) into \(out.shape)")
        if input.dtype == .bfloat16, out.dtype == .float32 {
            launchElementwise("sky_bf16_to_f32", count: input.count,
                              [.pointer(out.devicePointer), .pointer(input.anyDevicePointer), .int64(Int64(input.count))])
            return
        }
        precondition(out.dtype == input.dtype, "copy of a \(input.dtype) tensor into a \(out.dtype) one")
        attempt { () throws(CUDAError) in
            try driver.copyOnDevice(out.anyDevicePointer, from: input.anyDevicePointer, bytes: input.count * input.dtype.byteCount)
        }
    }

    /// `t`'s elements as bfloat16 on the device: its own memory when it is bf16, else a rounded copy in scratch `slot`.
    func bfloat16Pointer(_ t: Tensor, slot: String) -> CUDADevicePointer {
        if t.dtype == .bfloat16 { return t.anyDevicePointer }
        let pointer = scratchBuffer(slot, bytes: t.count * 2)
        launchElementwise("sky_f32_to_bf16", count: t.count, [.pointer(pointer), .pointer(t.devicePointer), .int64(Int64(t.count))])
        return pointer
    }

    // MARK: launching

    /// Threads per block for row kernels and grid-stride loops.
    static let blockSize = 256

    /// Launches kernel `name` after checking its arguments against the kernel's parameters.
    func launch(_ name: String, grid: CUDADim, block: CUDADim, sharedBytes: Int = 0, _ arguments: [CUDAKernelArgument]) {
        guard let function = kernels[name] else { preconditionFailure("no CUDA kernel named \(name) in Sky's kernel source") }
        precondition(arguments.map(\.kind) == function.parameters,
                     "kernel \(name) takes \(function.parameters.map(\.rawValue)), launched with \(arguments.map(\.kind.rawValue))")
        guard grid.total > 0 else { return }
        attempt { () throws(CUDAError) in
            try driver.launch(function, grid: grid, block: block, sharedBytes: sharedBytes, arguments: arguments)
        }
    }

    /// An elementwise kernel over `count` elements: a grid-stride loop, so the grid is capped.
    func launchElementwise(_ name: String, count: Int, _ arguments: [CUDAKernelArgument]) {
        guard count > 0 else { return }
        let blocks = min((count + Self.blockSize - 1) / Self.blockSize, 65_536)
        launch(name, grid: CUDADim(blocks), block: CUDADim(Self.blockSize), arguments)
    }

    /// A kernel with one block per row.
    func launchRows(_ name: String, rows: Int, width: Int, sharedBytes: Int = 0, _ arguments: [CUDAKernelArgument]) {
        guard rows > 0 else { return }
        launch(name, grid: CUDADim(rows), block: CUDADim(Self.rowBlock(width)), sharedBytes: sharedBytes, arguments)
    }

    /// A kernel with one thread per column.
    func launchColumns(_ name: String, columns: Int, _ arguments: [CUDAKernelArgument]) {
        guard columns > 0 else { return }
        launch(name, grid: CUDADim((columns + Self.blockSize - 1) / Self.blockSize), block: CUDADim(Self.blockSize), arguments)
    }

    /// Threads for a row of `width`: a power of two from 32 to 256, so the block reductions see whole warps.
    static func rowBlock(_ width: Int) -> Int {
        var threads = 32
        while threads < min(width, blockSize) { threads *= 2 }
        return threads
    }

    /// Values from the host (token ids, positions, targets, draws) in device buffer `slot`, valid until its next upload.
    /// A slot that already holds the same bytes is not uploaded again: a forward pass rotates q and k in every layer
    /// at the same positions, and a copy from pageable host memory waits for the device, so that saves 2·layers − 1
    /// waits per pass.
    func upload<T>(_ values: [T], slot: String) -> CUDADevicePointer {
        var pointer: CUDADevicePointer = 0
        attempt { () throws(CUDAError) in
            let bytes = values.withUnsafeBytes { [UInt8]($0) }
            pointer = try scratch.buffer(slot, bytes: bytes.count)
            if uploaded.withLock({ $0[slot] }) == UploadedBytes(pointer: pointer, bytes: bytes) { return }
            try copy(values, to: pointer)
            uploaded.withLock { $0[slot] = UploadedBytes(pointer: pointer, bytes: bytes) }
        }
        return pointer
    }

    /// Copies host `values` to device memory at `pointer`.
    func copy<T>(_ values: [T], to pointer: CUDADevicePointer) throws(CUDAError) {
        let result: Result<Void, CUDAError> = values.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return .success(()) }
            return Result { () throws(CUDAError) in try driver.copyToDevice(pointer, from: base, bytes: raw.count) }
        }
        try result.get()
    }

    /// Copies device memory at `pointer` into host `values` (as many bytes as they hold).
    func copy<T>(_ pointer: CUDADevicePointer, into values: inout [T]) throws(CUDAError) {
        let result: Result<Void, CUDAError> = values.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return .success(()) }
            return Result { () throws(CUDAError) in try driver.copyToHost(base, from: pointer, bytes: raw.count) }
        }
        try result.get()
    }

    /// A device buffer of `bytes` that lives with the backend, reused between ops (kernels run in queue order).
    func scratchBuffer(_ slot: String, bytes: Int) -> CUDADevicePointer {
        var pointer: CUDADevicePointer = 0
        attempt { () throws(CUDAError) in pointer = try scratch.buffer(slot, bytes: bytes) }
        return pointer
    }
}

/// Device memory holding a tensor's elements (float32, or bfloat16 weights), freed with its last reference.
final class CUDAStorage: TensorStorage, @unchecked Sendable {
    /// The first element's device address (0 after a failed allocation).
    let pointer: CUDADevicePointer
    /// Number of elements.
    let count: Int
    /// How they are stored.
    let dtype: DType
    private let driver: (any CUDADriverAPI)?
    private let memory: CUDAMemoryCounter?

    init(pointer: CUDADevicePointer, count: Int, dtype: DType = .float32, driver: (any CUDADriverAPI)?, memory: CUDAMemoryCounter?) {
        self.pointer = pointer
        self.count = count
        self.dtype = dtype
        self.driver = driver
        self.memory = memory
        memory?.add(count * dtype.byteCount)
    }

    deinit {
        if pointer != 0 { driver?.free(pointer) }
        memory?.add(-count * dtype.byteCount)
    }
}

/// Named device buffers that grow on demand and live as long as the backend.
final class CUDAScratch: @unchecked Sendable {
    private let driver: any CUDADriverAPI
    private let memory: CUDAMemoryCounter
    private let buffers = LockedValue<[String: (pointer: CUDADevicePointer, bytes: Int)]>([:])

    init(driver: any CUDADriverAPI, memory: CUDAMemoryCounter) {
        self.driver = driver
        self.memory = memory
    }

    deinit {
        buffers.withLock { table in
            for entry in table.values {
                driver.free(entry.pointer)
                memory.add(-entry.bytes)
            }
        }
    }

    /// The buffer `slot`, at least `bytes` long.
    func buffer(_ slot: String, bytes: Int) throws(CUDAError) -> CUDADevicePointer {
        if let existing = buffers.withLock({ $0[slot] }), existing.bytes >= bytes { return existing.pointer }
        // Grow by half again, so a slowly growing sequence does not reallocate every step.
        let size = max(bytes, 256)
        let grown = size + size / 2
        let pointer = try driver.allocate(bytes: grown)
        memory.add(grown)
        let old = buffers.withLock { table in
            defer { table[slot] = (pointer, grown) }
            return table[slot]
        }
        if let old {
            driver.free(old.pointer)
            memory.add(-old.bytes)
        }
        return pointer
    }
}

extension Tensor {
    /// The first element's device address, for ops that take float32 (every kernel but the bf16 ones).
    var devicePointer: CUDADevicePointer {
        precondition(dtype == .float32, "CUDABackend: this op takes float32 and was given a bfloat16 tensor of shape \(shape) "
            + "(bf16 is for weights of linear, matmul and embedding)")
        return anyDevicePointer
    }

    /// The first element's device address whatever the dtype; only valid for tensors made by the CUDA backend.
    var anyDevicePointer: CUDADevicePointer {
        guard let device = storage as? CUDAStorage else {
            preconditionFailure("CUDABackend given a tensor whose storage is \(type(of: storage)), not device memory")
        }
        return device.pointer + CUDADevicePointer(offset * device.dtype.byteCount)
    }
}

/// Device bytes a backend holds, and the most it held since the last reset: what a benchmark reports as peak device
/// memory against its expected sum (the driver's own context and cuBLAS's workspace are not in it).
public final class CUDAMemoryCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0, highest = 0

    /// Bytes held now.
    public var bytes: Int { lock.withLock { current } }
    /// The most bytes held since the last `resetPeak()`.
    public var peakBytes: Int { lock.withLock { highest } }

    /// Counts `delta` bytes more (or fewer, when negative).
    func add(_ delta: Int) {
        lock.withLock {
            current += delta
            highest = max(highest, current)
        }
    }

    /// Starts the peak again from what is held now.
    public func resetPeak() {
        lock.withLock { highest = current }
    }
}

/// The bytes last uploaded into a slot, and where: a slot that grew has a new address and is written again.
struct UploadedBytes: Equatable {
    let pointer: CUDADevicePointer
    let bytes: [UInt8]
}
