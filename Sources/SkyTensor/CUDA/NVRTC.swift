import Foundation

/// NVRTC, loaded at run time: compiles CUDA C++ straight to a cubin for one GPU architecture, with no GPU needed.
///
/// Cubins, not PTX: a newer NVRTC's PTX may not load on an older driver, while a cubin for the device's compute
/// capability always does.
public final class NVRTC: @unchecked Sendable {
    private typealias VersionFn = @convention(c) (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>) -> Int32
    private typealias CreateFn = @convention(c) (UnsafeMutablePointer<OpaquePointer?>, UnsafePointer<CChar>, UnsafePointer<CChar>?,
                                                 Int32, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?) -> Int32
    private typealias CompileFn = @convention(c) (OpaquePointer?, Int32, UnsafePointer<UnsafePointer<CChar>?>?) -> Int32
    private typealias SizeFn = @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int>) -> Int32
    private typealias BytesFn = @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>) -> Int32
    private typealias DestroyFn = @convention(c) (UnsafeMutablePointer<OpaquePointer?>) -> Int32
    private typealias ErrorStringFn = @convention(c) (Int32) -> UnsafePointer<CChar>?

    /// Where the library was loaded from.
    public let path: String
    /// NVRTC's version, e.g. "13.0".
    public let version: String
    private let create: CreateFn, compileProgram: CompileFn, destroy: DestroyFn, errorString: ErrorStringFn
    private let cubinSize: SizeFn, cubin: BytesFn, logSize: SizeFn, log: BytesFn

    /// Loads NVRTC (see `CUDALibraries` for where it looks), or says what is missing.
    public static func load(environment: [String: String]? = nil) -> Result<NVRTC, BackendUnavailable> {
        let environment = environment ?? ProcessInfo.processInfo.environment
        // Global, so that cuBLASLt, loaded later, finds NVRTC already in the process.
        return CUDALibraries.open(CUDALibraries.nvrtc, what: "NVRTC", environment: environment, toolkit: true, global: true).flatMap { library in
            Result { () throws(CUDAError) in try NVRTC(library) }.mapError { BackendUnavailable("backend cuda: \($0.description)") }
        }
    }

    private init(_ library: CUDALibraries.Opened) throws(CUDAError) {
        path = library.path
        create = try CUDALibraries.symbol(library, "nvrtcCreateProgram", as: CreateFn.self)
        compileProgram = try CUDALibraries.symbol(library, "nvrtcCompileProgram", as: CompileFn.self)
        destroy = try CUDALibraries.symbol(library, "nvrtcDestroyProgram", as: DestroyFn.self)
        errorString = try CUDALibraries.symbol(library, "nvrtcGetErrorString", as: ErrorStringFn.self)
        cubinSize = try CUDALibraries.symbol(library, "nvrtcGetCUBINSize", as: SizeFn.self)
        cubin = try CUDALibraries.symbol(library, "nvrtcGetCUBIN", as: BytesFn.self)
        logSize = try CUDALibraries.symbol(library, "nvrtcGetProgramLogSize", as: SizeFn.self)
        log = try CUDALibraries.symbol(library, "nvrtcGetProgramLog", as: BytesFn.self)
        let versionOf = try CUDALibraries.symbol(library, "nvrtcVersion", as: VersionFn.self)
        var major: Int32 = 0, minor: Int32 = 0
        _ = versionOf(&major, &minor)
        version = "\(major).\(minor)"
        // NVRTC dlopens its builtins by soname at the first compile, and the loader does not look beside NVRTC
        // itself (a pip wheel's folder is on no search path): load them from there first, so that soname is taken.
        if library.path.contains("/") {
            let builtins = URL(fileURLWithPath: library.path).deletingLastPathComponent()
                .appendingPathComponent("libnvrtc-builtins.so.\(version)").path
            if FileManager.default.fileExists(atPath: builtins) { _ = dlopen(builtins, RTLD_NOW | RTLD_GLOBAL) }
        }
    }

    /// The options Sky compiles with for `architecture` ("sm_90"): a cubin, C++17, and ptxas's register and spill report.
    public static func options(architecture: String) -> [String] {
        ["--gpu-architecture=\(architecture)", "--std=c++17", "--ptxas-options=-v"]
    }

    /// Compiles `source` to a cubin for `architecture`; a compile error throws with NVRTC's log.
    public func compile(_ source: String, name: String, architecture: String) throws(CUDAError) -> CUDACubin {
        let options = Self.options(architecture: architecture)
        var program: OpaquePointer?
        try check(create(&program, source, name, 0, nil, nil), "nvrtcCreateProgram", log: nil)
        defer { _ = destroy(&program) }
        let cOptions = options.map { strdup($0) }
        defer { cOptions.forEach { Foundation.free($0) } }
        let result = cOptions.map { UnsafePointer($0) }.withUnsafeBufferPointer { pointers in
            compileProgram(program, Int32(pointers.count), pointers.baseAddress)
        }
        let text = programLog(program)
        try check(result, "compiling \(name) for \(architecture)", log: text)
        var size = 0
        try check(cubinSize(program, &size), "nvrtcGetCUBINSize", log: text)
        var bytes = [CChar](repeating: 0, count: size)
        try check(cubin(program, &bytes), "nvrtcGetCUBIN", log: text)
        return CUDACubin(bytes: bytes.map { UInt8(bitPattern: $0) }, architecture: architecture, log: text)
    }

    private func programLog(_ program: OpaquePointer?) -> String {
        var size = 0
        guard logSize(program, &size) == 0, size > 1 else { return "" }
        var bytes = [CChar](repeating: 0, count: size)
        guard log(program, &bytes) == 0 else { return "" }
        return String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private func check(_ result: Int32, _ what: String, log: String?) throws(CUDAError) {
        guard result != 0 else { return }
        let name = errorString(result).map { String(cString: $0) } ?? "NVRTC error \(result)"
        throw CUDAError("NVRTC \(version) failed \(what): \(name)" + (log.map { $0.isEmpty ? "" : "\n\($0)" } ?? ""), code: result)
    }
}

/// A compiled module for one architecture and what ptxas said about each kernel.
public struct CUDACubin: Sendable {
    /// The ELF image the driver loads.
    public let bytes: [UInt8]
    /// "sm_90".
    public let architecture: String
    /// NVRTC's log (ptxas's resource report).
    public let log: String

    /// Registers and spills of one kernel, as ptxas reported them.
    public struct Resources: Sendable, Equatable {
        /// Registers per thread.
        public var registers = 0
        /// Bytes spilled to and reloaded from local memory; 0 for a kernel that fits its registers.
        public var spillStores = 0, spillLoads = 0
    }

    /// Per kernel, from ptxas's `-v` report in the log.
    public var resources: [String: Resources] {
        var table: [String: Resources] = [:]
        var current: String?
        for line in log.split(separator: "\n") {
            if let name = quoted(after: "Compiling entry function '", in: line) ?? word(after: "Function properties for ", in: line) {
                current = name
                table[name, default: Resources()] = table[name] ?? Resources()
            } else if let name = current {
                if let value = number(before: " bytes spill stores", in: line) { table[name]?.spillStores = value }
                if let value = number(before: " bytes spill loads", in: line) { table[name]?.spillLoads = value }
                if let value = number(before: " registers", in: line) { table[name]?.registers = value }
            }
        }
        return table
    }

    private func quoted(after prefix: String, in line: Substring) -> String? {
        guard let start = line.range(of: prefix) else { return nil }
        let rest = line[start.upperBound...]
        return rest.firstIndex(of: "'").map { String(rest[..<$0]) }
    }

    private func word(after prefix: String, in line: Substring) -> String? {
        guard let start = line.range(of: prefix) else { return nil }
        return String(line[start.upperBound...].prefix { !$0.isWhitespace })
    }

    private func number(before suffix: String, in line: Substring) -> Int? {
        guard let end = line.range(of: suffix) else { return nil }
        let digits = line[..<end.lowerBound].reversed().prefix { $0.isNumber }
        return Int(String(digits.reversed()))
    }
}
