import Foundation

/// CUDA C++ source and the kernels it declares, read from its `extern "C" __global__ void name(…)` lines.
public struct CUDAKernelLibrary: Sendable {
    /// The translation unit NVRTC compiles.
    public let source: String
    /// Each kernel's parameter kinds, by name.
    public let kernels: [String: [CUDAKernelParameter]]

    /// Sky's own kernels (`CUDAKernelSource`).
    public static let sky = CUDAKernelLibrary(source: CUDAKernelSource.source)

    /// The library of `source`; a parameter type it cannot pack stops here, naming the kernel.
    public init(source: String) {
        self.source = source
        var kernels: [String: [CUDAKernelParameter]] = [:]
        let marker = "extern \"C\" __global__ void "
        var rest = source[...]
        while let start = rest.range(of: marker) {
            let afterMarker = rest[start.upperBound...]
            guard let open = afterMarker.firstIndex(of: "("), let close = afterMarker.firstIndex(of: ")") else { break }
            let name = String(afterMarker[..<open]).trimmingCharacters(in: .whitespaces)
            let list = afterMarker[afterMarker.index(after: open)..<close]
            kernels[name] = list.split(separator: ",").map { Self.kind(of: String($0), kernel: name) }
            rest = afterMarker[close...]
        }
        self.kernels = kernels
    }

    /// The launch kind of one declared parameter ("const float* x", "int rows", "long long n").
    static func kind(of declaration: String, kernel: String) -> CUDAKernelParameter {
        let text = declaration.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ")
        if text.contains("*") { return .pointer }
        if text.hasPrefix("long long ") || text.hasPrefix("unsigned long long ") { return .int64 }
        if text.hasPrefix("int ") { return .int32 }
        if text.hasPrefix("float ") { return .float32 }
        preconditionFailure("kernel \(kernel): parameter '\(text)' has a type the launcher cannot pack")
    }
}
