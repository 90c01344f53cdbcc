/// An address in device memory (a `CUdeviceptr`).
public typealias CUDADevicePointer = UInt64

/// What the CUDA backend asks of the device: memory, copies, kernels by name and cuBLAS products.
///
/// `CUDADriver` implements it with the real driver, cuBLAS and NVRTC loaded at run time; tests substitute a fake that
/// runs each kernel's CPU reference on host memory, which checks the backend's orchestration (sizes, offsets, launch
/// arguments, product layouts) on machines with no GPU.
public protocol CUDADriverAPI: AnyObject, Sendable {
    /// The GPU and the library versions, recorded with every result.
    var device: BackendDevice { get }
    /// Allocates `bytes` of device memory.
    func allocate(bytes: Int) throws(CUDAError) -> CUDADevicePointer
    /// Frees memory from `allocate`.
    func free(_ pointer: CUDADevicePointer)
    /// Copies `bytes` from host memory to the device, after all work queued before it.
    func copyToDevice(_ destination: CUDADevicePointer, from source: UnsafeRawPointer, bytes: Int) throws(CUDAError)
    /// Copies `bytes` from the device to host memory once all queued work has finished.
    func copyToHost(_ destination: UnsafeMutableRawPointer, from source: CUDADevicePointer, bytes: Int) throws(CUDAError)
    /// Copies `bytes` within device memory, in stream order.
    func copyOnDevice(_ destination: CUDADevicePointer, from source: CUDADevicePointer, bytes: Int) throws(CUDAError)
    /// Makes the kernels of `library` launchable, by name.
    func load(_ library: CUDAKernelLibrary) throws(CUDAError) -> [String: CUDAFunction]
    /// Queues one kernel launch; `arguments` match the kernel's parameters in order.
    func launch(_ function: CUDAFunction, grid: CUDADim, block: CUDADim, sharedBytes: Int,
                arguments: [CUDAKernelArgument]) throws(CUDAError)
    /// Queues a cuBLAS float32 product (column-major, as cuBLAS defines it).
    func gemm(_ product: CUDAGemm) throws(CUDAError)
    /// Waits for all queued work.
    func synchronize() throws(CUDAError)
}

/// A kernel made launchable by `CUDADriverAPI.load`.
public struct CUDAFunction: Sendable {
    /// The kernel's `extern "C"` name.
    public let name: String
    /// The driver's handle (a `CUfunction`), or an index for a fake.
    public let handle: UInt
    /// The kernel's parameters, from its source.
    public let parameters: [CUDAKernelParameter]

    /// A function from its parts.
    public init(name: String, handle: UInt, parameters: [CUDAKernelParameter]) {
        self.name = name
        self.handle = handle
        self.parameters = parameters
    }
}

/// A grid or block size.
public struct CUDADim: Sendable, Equatable, CustomStringConvertible {
    /// The three extents.
    public var x: Int, y: Int, z: Int

    /// A size of x × y × z.
    public init(_ x: Int, _ y: Int = 1, _ z: Int = 1) {
        self.x = x
        self.y = y
        self.z = z
    }

    /// Threads or blocks in all.
    public var total: Int { x * y * z }

    /// "(x, y, z)".
    public var description: String { "(\(x), \(y), \(z))" }
}

/// One kernel argument, passed by value.
public enum CUDAKernelArgument: Sendable, Equatable {
    /// A device address (any `T*` parameter).
    case pointer(CUDADevicePointer)
    /// An `int`.
    case int32(Int32)
    /// A `long long`.
    case int64(Int64)
    /// A `float`.
    case float32(Float)

    /// The parameter kind this argument fills.
    public var kind: CUDAKernelParameter {
        switch self {
        case .pointer: return .pointer
        case .int32: return .int32
        case .int64: return .int64
        case .float32: return .float32
        }
    }
}

/// The kind of a kernel parameter as the launch packs it.
public enum CUDAKernelParameter: String, Sendable, Equatable {
    case pointer, int32, int64, float32
}

/// A strided-batched float32 product in cuBLAS's terms: C = alpha·op(A)·op(B) + beta·C, column-major, op(A) m × k,
/// op(B) k × n, C m × n, `batch` times with the given element strides.
public struct CUDAGemm: Sendable, Equatable {
    /// Whether A and B are transposed.
    public var transposeA: Bool, transposeB: Bool
    /// The product's sizes.
    public var m: Int, n: Int, k: Int
    /// The scalars.
    public var alpha: Float, beta: Float
    /// The operands, their leading dimensions and batch strides (in elements).
    public var a: CUDADevicePointer, lda: Int, strideA: Int
    public var b: CUDADevicePointer, ldb: Int, strideB: Int
    public var c: CUDADevicePointer, ldc: Int, strideC: Int
    /// How many products.
    public var batch: Int
    /// How A and B are stored: float32 (cublasSgemm, float32 arithmetic) or bfloat16 (tensor cores, float32
    /// accumulation). C is always float32.
    public var inputs: DType = .float32

    /// A product from its parts; one product unless `batch` says otherwise.
    public init(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float, beta: Float,
                a: CUDADevicePointer, lda: Int, b: CUDADevicePointer, ldb: Int, c: CUDADevicePointer, ldc: Int,
                strideA: Int = 0, strideB: Int = 0, strideC: Int = 0, batch: Int = 1) {
        self.transposeA = transposeA
        self.transposeB = transposeB
        self.m = m
        self.n = n
        self.k = k
        self.alpha = alpha
        self.beta = beta
        self.a = a
        self.lda = lda
        self.strideA = strideA
        self.b = b
        self.ldb = ldb
        self.strideB = strideB
        self.c = c
        self.ldc = ldc
        self.strideC = strideC
        self.batch = batch
    }
}

/// A failed CUDA, cuBLAS or NVRTC call, or a library that would not load.
public struct CUDAError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message, naming the call and the driver's own error name.
    public let description: String
    /// The driver's result code where there is one (2 is out of memory).
    public let code: Int32?

    /// An error saying `description`.
    public init(_ description: String, code: Int32? = nil) {
        self.description = description
        self.code = code
    }

    /// Whether the device ran out of memory.
    public var isOutOfMemory: Bool { code == 2 }
}
