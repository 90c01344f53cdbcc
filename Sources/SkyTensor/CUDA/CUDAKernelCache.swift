public import Foundation

/// Cubins on disk, keyed by everything that decides their bytes: the source, NVRTC's version, the options and the
/// architecture. A worker compiles its kernels once per machine and NVRTC version, not once per job.
///
/// The file name is a hash of the key; the key itself is stored beside the cubin and compared whole on load, so a
/// hash collision reads as a miss, never as the wrong kernels.
public struct CUDAKernelCache: Sendable {
    /// The folder holding `<hash>.cubin` and `<hash>.key`.
    public let directory: URL

    /// A cache in `directory`.
    public init(directory: URL) {
        self.directory = directory
    }

    /// SKY_CUDA_CACHE_DIR, else $XDG_CACHE_HOME/sky/cuda, else ~/.cache/sky/cuda.
    public static func standard(environment: [String: String]) -> CUDAKernelCache {
        if let folder = environment["SKY_CUDA_CACHE_DIR"], !folder.isEmpty {
            return CUDAKernelCache(directory: URL(fileURLWithPath: folder))
        }
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
        return CUDAKernelCache(directory: base.appendingPathComponent("sky/cuda"))
    }

    /// The text every cached cubin is keyed by.
    public static func key(source: String, compiler: String, architecture: String) -> String {
        "compiler: \(compiler)\narchitecture: \(architecture)\noptions: \(NVRTC.options(architecture: architecture).joined(separator: " "))\n\n\(source)"
    }

    /// The cubin stored under `key`, if any.
    public func load(key: String) -> [UInt8]? {
        let name = Self.fileName(key)
        guard let stored = try? Data(contentsOf: directory.appendingPathComponent(name + ".key")),
              String(decoding: stored, as: UTF8.self) == key,
              let cubin = try? Data(contentsOf: directory.appendingPathComponent(name + ".cubin")), !cubin.isEmpty
        else { return nil }
        return [UInt8](cubin)
    }

    /// Stores `cubin` under `key`; a cache that cannot be written is skipped (the kernels still run).
    public func store(_ cubin: [UInt8], key: String) {
        let name = Self.fileName(key)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            // The cubin first, each file renamed into place whole: a reader sees a complete pair or a miss.
            try Self.writeAtomically(Data(cubin), to: directory.appendingPathComponent(name + ".cubin"))
            try Self.writeAtomically(Data(key.utf8), to: directory.appendingPathComponent(name + ".key"))
        } catch {
            return
        }
    }

    private static func writeAtomically(_ data: Data, to url: URL) throws {
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        try data.write(to: temporary)
        if rename(temporary.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown)
        }
    }

    /// Two independent 64-bit FNV-1a hashes of the key, as 32 hex digits.
    static func fileName(_ key: String) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in key.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 &+ 0x9e37_79b9
        }
        return String(a, radix: 16).leftPadded(16) + String(b, radix: 16).leftPadded(16)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
