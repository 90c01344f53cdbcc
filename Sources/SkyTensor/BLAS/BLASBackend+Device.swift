import CBLAS
import Foundation

extension BLASBackend {
    /// This process's CPU and the OpenBLAS kernels it runs (the same for every BLAS backend in the process).
    public var device: BackendDevice { Self.processDevice }

    /// OpenBLAS's core name ("Haswell", "Zen", "SkylakeX", "Cooperlake", …): the kernel family it chose at load time.
    public static var coreName: String {
        openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }

    /// OpenBLAS's build line, e.g. "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Zen MAX_THREADS=64".
    public static var libraryConfig: String {
        openblas_get_config().map { String(cString: $0) } ?? "OpenBLAS"
    }

    private static let processDevice: BackendDevice = {
        // The build line starts with the library's name and version; the rest is build options.
        let words = libraryConfig.split(separator: " ")
        let library = words.count >= 2 ? "\(words[0]) \(words[1])" : libraryConfig
        return BackendDevice(kind: "cpu", name: cpuModelName(), library: library, kernels: coreName)
    }()

    /// The first "model name" of /proc/cpuinfo, or "unknown CPU" where there is none.
    static func cpuModelName() -> String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        for line in info.split(separator: "\n") where line.hasPrefix("model name") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return "unknown CPU"
    }
}
