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

/// Decides, on the machine that runs a job, which backend a spec's choice ("blas", "cuda", "auto") runs on, and makes it.
///
/// `cuda` runs only where the CUDA backend can start (driver, cuBLAS, NVRTC and a GPU), and otherwise fails with what
/// is missing; `auto` takes CUDA where it can start and otherwise BLAS, with a note saying why. The CUDA libraries are
/// looked up at run time, so the binaries build and run on machines with no CUDA at all. This is the one place
/// backends are built.
public enum BackendSelection {
    /// The backend for `choice`, with `threads` for BLAS, and, when `auto` fell back to BLAS, the reason to log.
    public static func make(_ choice: String, threads: Int? = nil, environment: [String: String]? = nil)
        throws(BackendUnavailable) -> (backend: any Backend, note: String?) {
        let environment = environment ?? ProcessInfo.processInfo.environment
        switch choice {
        case "blas", "cpu": return (BLASBackend(threads: threads), nil)
        case "cuda": return (try CUDABackend.start(environment: environment), nil)
        case "auto":
            do {
                return (try CUDABackend.start(environment: environment), nil)
            } catch {
                return (BLASBackend(threads: threads), "auto: running on BLAS because \(error.description)")
            }
        default: throw BackendUnavailable("unknown backend '\(choice)'; expected blas, cuda or auto")
        }
    }

    /// The backend for work that reads and writes weights on the host (initialising, merging): always the CPU's, since
    /// the result goes to a file anyway.
    public static func host(threads: Int? = nil) -> any Backend {
        BLASBackend(threads: threads)
    }
}
