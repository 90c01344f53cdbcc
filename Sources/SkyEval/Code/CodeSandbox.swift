import Foundation
import SkyCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs untrusted Python: one subprocess per test in a fresh private directory (deleted afterwards), with wall-clock,
/// CPU, memory, file-size and process limits, and no inherited environment. When Sky runs as root each run gets a
/// uid and gid of its own that no account has (drawn from 2³⁰..<0x7000_0000): RLIMIT_NPROC then binds and counts only
/// that run, root's 0600 files are unreadable, programs cannot signal or trace each other, and after the run every
/// process with that uid is killed, including any that left the process group.
///
/// `run` blocks its thread for up to the wall-clock limit; from async code use `runAsync`.
public struct CodeSandbox: Sendable {
    /// The interpreter; it must be executable by the unprivileged user (pyenv shims under /root are not).
    public var python: String
    /// Limits per test.
    public var limits: SandboxLimits
    /// Where private directories are made; must be traversable by the unprivileged user.
    public var workRoot: String

    /// A sandbox using `python` (default: /usr/bin/python3, /usr/local/bin/python3, then PATH).
    public init(python: String? = nil, limits: SandboxLimits = .standard, workRoot: String = "/tmp") throws(SandboxError) {
        let candidates = python.map { [$0] } ?? Self.pythonCandidates()
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw .pythonNotFound(candidates.joined(separator: ", "))
        }
        self.python = found
        self.limits = limits
        self.workRoot = workRoot
    }

    static func pythonCandidates() -> [String] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return ["/usr/bin/python3", "/usr/local/bin/python3"] + path.split(separator: ":").map { "\($0)/python3" }
    }

    /// Runs `program` as a script with `stdin` as its input.
    public func run(program: String, stdin: String, limits: SandboxLimits? = nil) throws(SandboxError) -> SandboxRun {
        let uid = freshUID()
        return try withDirectory(files: ["solution.py": program, "stdin.txt": stdin], owner: uid) { directory throws(SandboxError) in
            try launch(args: ["solution.py"], directory: directory, uid: uid, limits: limits ?? self.limits)
        }
    }

    /// Calls `function` (top-level, or a method of `class Solution`) in `program` with `arguments` (a JSON array
    /// text) and compares its result with `expected` (JSON text) in Python; nil outcome when the run failed.
    public func call(program: String, function: String, arguments: String, expected: String, limits: SandboxLimits? = nil)
        throws(SandboxError) -> (run: SandboxRun, outcome: FunctionCallOutcome?) {
        let input = "{\"args\": \(arguments), \"expected\": \(expected)}"
        let files = ["solution.py": program, "sky_harness.py": SandboxScripts.harness, "stdin.txt": input]
        let uid = freshUID()
        let run = try withDirectory(files: files, owner: uid) { directory throws(SandboxError) in
            try launch(args: ["sky_harness.py", function], directory: directory, uid: uid, limits: limits ?? self.limits)
        }
        guard run.failure == nil, let marker = run.stdout.range(of: SandboxScripts.resultMarker, options: .backwards) else {
            return (run, nil)
        }
        let json = run.stdout[marker.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        return (run, try? JSONDecoder().decode(FunctionCallOutcome.self, from: Data(json.utf8)))
    }

    /// `run` off the cooperative thread pool, so a slow test does not starve other tasks.
    public func runAsync(program: String, stdin: String, limits: SandboxLimits? = nil) async throws(SandboxError) -> SandboxRun {
        try await BlockingWork.run { () throws(SandboxError) in try run(program: program, stdin: stdin, limits: limits) }
    }

    var dropsPrivileges: Bool { geteuid() == 0 }

    /// A uid for one run, or nil when not root (then programs run as the caller).
    func freshUID() -> UInt32? {
        dropsPrivileges ? UInt32.random(in: 0x4000_0000..<0x7000_0000) : nil
    }

    func launch(args: [String], directory: String, uid: UInt32?, limits: SandboxLimits) throws(SandboxError) -> SandboxRun {
        let config: [String: JSONValue] = [
            "dir": .string(directory), "python": .string(python), "args": .array(args.map(JSONValue.string)),
            "cpu": .number(Double(limits.cpuSeconds)), "memory": .number(Double(limits.memoryBytes)),
            "fsize": .number(Double(limits.maxFileBytes)), "nproc": .number(Double(limits.maxProcesses)),
            "uid": uid.map { .number(Double($0)) } ?? .null,
            "gid": uid.map { .number(Double($0)) } ?? .null,
            "env": .object(["PATH": .string("/usr/local/bin:/usr/bin:/bin"), "LANG": .string("C.UTF-8"), "HOME": .string(directory)]),
        ]
        let json = String(decoding: JSONValue.object(config).encoded(), as: UTF8.self)
        return try SandboxProcess.run(executable: python, arguments: ["-I", "-c", SandboxScripts.launcher, json],
                                      stdinPath: directory + "/stdin.txt", uid: uid, limits: limits)
    }

    /// Makes a private directory holding `files`, hands it to `body`, and removes it whatever happens.
    func withDirectory<T>(files: [String: String], owner uid: UInt32?, _ body: (String) throws(SandboxError) -> T) throws(SandboxError) -> T {
        var template = Array((workRoot + "/sky-sandbox-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw .setupFailed("mkdtemp in \(workRoot): \(SandboxProcess.errnoText())") }
        let directory = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, text) in files {
            let path = directory + "/" + name
            // stdin.txt stays 0600: the program gets it as an open descriptor and has no reason to reopen it.
            let mode: mode_t = name == "stdin.txt" ? 0o600 : 0o644
            guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: Int(mode)]) else {
                throw .setupFailed("write \(path)")
            }
        }
        if let uid, chown(directory, uid, uid) != 0 {
            throw .setupFailed("chown \(directory): \(SandboxProcess.errnoText())")
        }
        return try body(directory)
    }
}
