import Foundation

/// Why a backend cannot run on this host, naming what is missing and how to point Sky at it.
public struct BackendUnavailable: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message.
    public let description: String

    /// An error saying `description`.
    public init(_ description: String) {
        self.description = description
    }
}

/// Decides, on the machine that runs a job, which backend a spec's choice ("blas", "cuda", "auto") runs on.
///
/// `cuda` runs only where the CUDA backend can start, and otherwise fails with what is missing; `auto` takes CUDA
/// where it can start and otherwise BLAS, with a note saying why. The CUDA driver is looked up at run time, so the
/// binaries build and run on machines with no CUDA at all.
public enum BackendSelection {
    /// The backend's name ("blas") and, when `auto` fell back to BLAS, the reason to log.
    public static func resolve(_ choice: String, environment: [String: String]? = nil)
        throws(BackendUnavailable) -> (name: String, note: String?) {
        let environment = environment ?? ProcessInfo.processInfo.environment
        switch choice {
        case "blas", "cpu": return ("blas", nil)
        case "cuda": throw cudaUnavailable(environment: environment)
        case "auto": return ("blas", "auto: running on BLAS because \(cudaUnavailable(environment: environment).description)")
        default: throw BackendUnavailable("unknown backend '\(choice)'; expected blas, cuda or auto")
        }
    }

    /// Why the CUDA backend cannot start here: the driver library is missing, or (where it loads) this build has no
    /// CUDA kernels yet.
    static func cudaUnavailable(environment: [String: String]) -> BackendUnavailable {
        switch CUDADriver.locate(environment: environment) {
        case .failure(let missing): return missing
        case .success(let path):
            return BackendUnavailable("backend cuda: the CUDA driver loads (\(path)), but this build of Sky has no CUDA "
                + "backend yet; use backend blas or auto")
        }
    }
}

/// Finds the CUDA driver library (`libcuda.so.1`) without linking it: SKY_CUDA_LIB_DIR first, then the dynamic
/// loader's own search (the driver is installed system-wide by the NVIDIA driver package).
enum CUDADriver {
    static let soname = "libcuda.so.1"

    /// The path or name it loaded from, or why it did not load.
    static func locate(environment: [String: String]) -> Result<String, BackendUnavailable> {
        var tried: [String] = []
        var candidates: [(where: String, path: String)] = []
        if let directory = environment["SKY_CUDA_LIB_DIR"], !directory.isEmpty {
            candidates.append(("in SKY_CUDA_LIB_DIR", URL(fileURLWithPath: directory).appendingPathComponent(soname).path))
        }
        candidates.append(("on the system's library path", soname))
        for candidate in candidates {
            // RTLD_NOW resolves every symbol at once, so a broken install fails here rather than mid-job.
            if let handle = dlopen(candidate.path, RTLD_NOW | RTLD_LOCAL) {
                dlclose(handle)
                return .success(candidate.path)
            }
            // dlerror names the file it tried and why it failed.
            tried.append("\(candidate.where): \(dlerror().map { String(cString: $0) } ?? "\(candidate.path) not found")")
        }
        return .failure(BackendUnavailable("backend cuda: cannot load the CUDA driver \(soname) (\(tried.joined(separator: "; "))); "
            + "install the NVIDIA driver, or set SKY_CUDA_LIB_DIR to the folder that holds \(soname)"))
    }
}
