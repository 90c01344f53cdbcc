import Foundation

/// Finds and opens the CUDA libraries at run time, so binaries build and run where there is no CUDA at all.
///
/// Search order: `SKY_CUDA_LIB_DIR`, then for the toolkit libraries (NVRTC, cuBLAS) `CUDA_HOME`/`CUDA_PATH` and
/// /usr/local/cuda, then the NVIDIA wheels (`nvidia/cu13/lib`) of the `python3` on PATH, then the dynamic loader's own
/// search (LD_LIBRARY_PATH, ldconfig), which is where the driver `libcuda.so.1` lives.
enum CUDALibraries {
    static let driver = "libcuda.so.1"
    static let nvrtc = "libnvrtc.so.13"
    static let cublas = "libcublas.so.13"

    /// A loaded library: the handle for `dlsym` and where it came from.
    struct Opened: @unchecked Sendable {
        let handle: UnsafeMutableRawPointer
        let path: String
    }

    /// Opens `soname`, or says everywhere it looked and how to point Sky at it. `global` makes its symbols visible
    /// to libraries loaded later (cuBLASLt finds NVRTC that way).
    static func open(_ soname: String, what: String, environment: [String: String], toolkit: Bool,
                     global: Bool = false) -> Result<Opened, BackendUnavailable> {
        var tried: [String] = []
        for candidate in candidates(soname, environment: environment, toolkit: toolkit) {
            // RTLD_NOW resolves every symbol at once, so a broken install fails here rather than mid-job.
            if let handle = dlopen(candidate.path, RTLD_NOW | (global ? RTLD_GLOBAL : RTLD_LOCAL)) {
                return .success(Opened(handle: handle, path: candidate.path))
            }
            // dlerror names the file it tried and why it failed.
            tried.append("\(candidate.where): \(dlerror().map { String(cString: $0) } ?? "\(candidate.path) not found")")
        }
        let hint = toolkit
            ? "install CUDA 13 (or `pip install nvidia-cuda-nvrtc nvidia-cublas` for the python3 on PATH), or set SKY_CUDA_LIB_DIR to the folder that holds \(soname)"
            : "install the NVIDIA driver, or set SKY_CUDA_LIB_DIR to the folder that holds \(soname)"
        return .failure(BackendUnavailable("backend cuda: cannot load \(what) \(soname) (\(tried.joined(separator: "; "))); \(hint)"))
    }

    /// Where to try `soname`, in order.
    static func candidates(_ soname: String, environment: [String: String], toolkit: Bool) -> [(where: String, path: String)] {
        var list: [(where: String, path: String)] = []
        func folder(_ directory: String, _ label: String) {
            list.append((label, URL(fileURLWithPath: directory).appendingPathComponent(soname).path))
        }
        if let directory = environment["SKY_CUDA_LIB_DIR"], !directory.isEmpty { folder(directory, "in SKY_CUDA_LIB_DIR") }
        if toolkit {
            for key in ["CUDA_HOME", "CUDA_PATH"] {
                if let home = environment[key], !home.isEmpty { folder(home + "/lib64", "in \(key)/lib64") }
            }
            folder("/usr/local/cuda/lib64", "in /usr/local/cuda/lib64")
            for site in pythonSitePackages(environment: environment) {
                let wheel = site + "/nvidia/cu13/lib"
                if FileManager.default.fileExists(atPath: wheel + "/" + soname) { folder(wheel, "in python3's \(wheel)") }
            }
        }
        list.append(("on the system's library path", soname))
        return list
    }

    /// The site-packages folders of the `python3` on PATH (where `pip install nvidia-…` puts the CUDA wheels), asked
    /// once per process; none where there is no python3.
    static func pythonSitePackages(environment: [String: String]) -> [String] {
        if let cached = sitePackagesCache.withLock({ $0 }) { return cached }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import site; print('\\n'.join(site.getsitepackages() + [site.getusersitepackages()]))"]
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        var folders: [String] = []
        if (try? process.run()) != nil {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            if process.terminationStatus == 0 {
                folders = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
            }
        }
        sitePackagesCache.withLock { $0 = folders }
        return folders
    }

    private static let sitePackagesCache = LockedValue<[String]?>(nil)

    /// The C function `name` from `library`, typed as `T` (a `@convention(c)` function type).
    static func symbol<T>(_ library: Opened, _ name: String, as type: T.Type) throws(CUDAError) -> T {
        guard let pointer = dlsym(library.handle, name) else {
            throw CUDAError("\(library.path) has no symbol \(name); it is older than Sky expects (CUDA 13)")
        }
        return unsafeBitCast(pointer, to: type)
    }
}

/// A value behind a lock, for the few process-wide caches.
final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` with the value, under the lock.
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
