import Foundation
import SkyCore
import SkyEval
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Small limits keep the suite fast: 1 s of CPU, 256 MiB, 64 KiB of output. The wall clock gets 3 s because
/// `make test` runs every suite at once on 2 cores, where a python3 start alone can take a second.
let testLimits = SandboxLimits(wallSeconds: 3, cpuSeconds: 1, memoryBytes: 256 << 20, maxOutputBytes: 64 << 10,
                               maxFileBytes: 1 << 20, maxProcesses: 24)

/// The sandbox, or nil with the reason printed when this machine has no python3.
func testSandbox() -> CodeSandbox? {
    do throws(SandboxError) {
        return try CodeSandbox(limits: testLimits)
    } catch {
        print("skipping code sandbox tests: \(error)")
        return nil
    }
}

let pythonAvailable = testSandbox() != nil

/// For programs that are meant to run out the clock: there is nothing to wait for.
let shortWall: SandboxLimits = {
    var limits = testLimits
    limits.wallSeconds = 1.5
    return limits
}()

@Suite(.enabled(if: pythonAvailable, "python3 is not installed")) struct CodeSandboxTests {
    let grader = CodeGrader(sandbox: testSandbox()!)
    let sum: CodeTests = .stdio([StdioTest(input: "1 2\n", output: "3\n"), StdioTest(input: "10 -4\n", output: "6")])

    @Test func correctProgramPassesEveryTest() async throws {
        let output = "Thinking...\n```python\na, b = map(int, input().split())\nprint(a + b)\n```\n"
        let verdict = try await grader.gradeAsync(output: output, tests: sum)
        #expect(verdict.correct, "\(verdict.reason)")
        #expect(verdict.passed == 2)
        #expect(verdict.reason == "all 2 tests passed")
    }

    @Test func wrongAnswerNamesTheTest() async throws {
        let verdict = try await grader.gradeAsync(code: "a, b = map(int, input().split())\nprint(a - b if a > 5 else a + b)", tests: sum)
        #expect(!verdict.correct)
        #expect(verdict.passed == 1)
        #expect(verdict.reason == "test 2 of 2: wrong answer: expected '6', got '14'")
    }

    @Test func infiniteLoopTimesOut() async throws {
        let verdict = try await grader.gradeAsync(code: "while True:\n    pass", tests: sum)
        #expect(verdict.reason == "test 1 of 2: timeout" || verdict.reason == "test 1 of 2: timeout (CPU limit)")
        // Timed by the sandbox from spawn to kill; time queued for a Dispatch thread is not the program's.
        let run = try await grader.sandbox.runAsync(program: "while True:\n    pass", stdin: "")
        #expect(run.failure?.hasPrefix("timeout") == true)
        #expect(run.seconds < 15)
    }

    @Test func sleepingProgramIsKilledAtTheWallClockLimit() async throws {
        let run = try await grader.sandbox.runAsync(program: "import time\ntime.sleep(30)", stdin: "", limits: shortWall)
        #expect(run.timedOut)
        // The upper bounds only prove the kill: the programs would run 30 s, or forever. A loaded host delays the
        // kill timer by seconds at times, so they leave room for that.
        #expect(run.seconds >= 1.5 && run.seconds < 10)
        #expect(run.failure == "timeout")
    }

    @Test func infiniteOutputIsStoppedNotBuffered() async throws {
        let run = try await grader.sandbox.runAsync(program: "while True:\n    print('spam' * 100)", stdin: "")
        #expect(run.outputTooLarge)
        #expect(run.stdout.utf8.count <= testLimits.maxOutputBytes)
        #expect(run.failure == "output too large")
    }

    @Test func memoryBombHitsTheMemoryLimit() async throws {
        let verdict = try await grader.gradeAsync(code: "blocks = []\nwhile True:\n    blocks.append(bytearray(50 << 20))", tests: sum)
        #expect(verdict.reason == "test 1 of 2: memory limit exceeded")
    }

    @Test func runtimeErrorReportsTheLastStderrLine() async throws {
        let verdict = try await grader.gradeAsync(code: "x = int(input().split()[0])\nprint(1 // (x - 1))", tests: sum)
        #expect(verdict.reason == "test 1 of 2: runtime error: exit status 1: ZeroDivisionError: integer division or modulo by zero")
    }

    @Test func forkBombIsContainedAndCleanedUp() async throws {
        let bomb = """
        import os, sys, time
        leader = os.getpid() == os.getpgrp()
        blocked = False
        for _ in range(200):
            try:
                os.fork()
            except OSError:
                blocked = True
        if leader and blocked:
            print("fork refused", flush=True)
        time.sleep(30)
        """
        let run = try await grader.sandbox.runAsync(program: bomb, stdin: "", limits: shortWall)
        #expect(run.failure != nil)
        #expect(run.stdout.contains("fork refused"), "RLIMIT_NPROC did not stop the bomb")
        #expect(run.seconds < 15)
        try await Task.sleep(for: .milliseconds(200))
        #expect(livingProcesses(inGroup: run.processGroup) == [], "fork bomb processes survived")
        if let uid = run.uid { #expect(livingProcesses(ofUID: uid) == []) }
    }

    @Test(.enabled(if: geteuid() == 0, "only a root Sky runs programs under their own uid"))
    func processesThatLeaveTheGroupAreKilledByUID() async throws {
        let escape = """
        import os, time
        if os.fork() == 0:
            os.setsid()
            time.sleep(30)
            os._exit(0)
        print("parent done")
        """
        let run = try await grader.sandbox.runAsync(program: escape, stdin: "")
        #expect(run.stdout == "parent done\n")
        let uid = try #require(run.uid)
        #expect(uid >= 0x4000_0000)
        #expect(livingProcesses(ofUID: uid) == [], "the setsid child survived")
    }

    @Test(.enabled(if: geteuid() == 0, "only a root Sky drops privileges; as a normal user the program may read its own user's files"))
    func programCannotReadRootOnlyFiles() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-secret-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { try? FileManager.default.removeItem(at: directory) }
        let secret = directory.appendingPathComponent("secret.txt")
        _ = FileManager.default.createFile(atPath: secret.path, contents: Data("hunter2\n".utf8), attributes: [.posixPermissions: 0o600])
        let program = "print(open(\(String(reflecting: secret.path))).read())"
        let run = try await grader.sandbox.runAsync(program: program, stdin: "")
        #expect(!run.stdout.contains("hunter2"))
        #expect(run.failure?.contains("PermissionError") == true, "\(run)")
    }

    @Test func environmentIsNotInherited() async throws {
        setenv("SKY_SANDBOX_CANARY", "leaked", 1)
        let run = try await grader.sandbox.runAsync(program: "import os\nprint(sorted(os.environ))\nprint(os.getcwd() == os.environ['HOME'])", stdin: "")
        #expect(run.stdout == "['HOME', 'LANG', 'LC_CTYPE', 'PATH']\nTrue\n" || run.stdout == "['HOME', 'LANG', 'PATH']\nTrue\n", "\(run.stdout)")
    }

    @Test func privateDirectoryIsRemovedAfterTheRun() async throws {
        let run = try await grader.sandbox.runAsync(program: "import os\nopen('scratch.txt', 'w').write('x')\nprint(os.getcwd())", stdin: "")
        let directory = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(directory.hasPrefix("/tmp/sky-sandbox-"))
        #expect(!FileManager.default.fileExists(atPath: directory))
    }

    @Test func functionalTestsCallSolutionMethodsAndTopLevelFunctions() async throws {
        let tests: CodeTests = .functional(name: "twoSum", tests: [
            FunctionalTest(arguments: "[[2, 7, 11, 15], 9]", expected: "[0, 1]"),
            FunctionalTest(arguments: "[[3, 2, 4], 6]", expected: "[1, 2]"),
        ])
        let method = """
        ```python
        class Solution:
            def twoSum(self, nums: List[int], target: int) -> List[int]:
                seen = {}
                for i, x in enumerate(nums):
                    if target - x in seen:
                        print("debug output is ignored")
                        return [seen[target - x], i]
                    seen[x] = i
        ```
        """
        let verdict = try await grader.gradeAsync(output: method, tests: tests)
        #expect(verdict.correct, "\(verdict.reason)")
        let function = "def twoSum(nums, target):\n    return (0, 1)"
        let wrong = try await grader.gradeAsync(code: function, tests: tests)
        #expect(wrong.reason == "test 2 of 2: wrong answer: expected '[1, 2]', got '[0, 1]'")
        let missing = try await grader.gradeAsync(code: "def other(): pass", tests: tests)
        #expect(missing.reason.hasPrefix("test 1 of 2: runtime error: exit status 1: NameError: no function twoSum"))
    }

    @Test func functionalResultsKeepBigIntegersExactAndTolerateFloats() async throws {
        let big: CodeTests = .functional(name: "f", tests: [FunctionalTest(arguments: "[1000000000000000000]", expected: "1000000000000000001")])
        let exact = try await grader.gradeAsync(code: "def f(x):\n    return x + 1", tests: big)
        #expect(exact.correct, "\(exact.reason)")
        let offByOne = try await grader.gradeAsync(code: "def f(x):\n    return x", tests: big)
        #expect(offByOne.reason == "test 1 of 1: wrong answer: expected '1000000000000000001', got '1000000000000000000'")
        let third: CodeTests = .functional(name: "f", tests: [FunctionalTest(arguments: "[1, 3]", expected: "0.3333333")])
        #expect(try await grader.gradeAsync(code: "def f(a, b):\n    return a / b", tests: third).correct)
        let notJSON = try await grader.gradeAsync(code: "def f(a, b):\n    return {a, b}", tests: third)
        #expect(notJSON.reason.hasPrefix("test 1 of 1: wrong answer: expected '0.3333333', got 'not JSON-encodable"))
    }

    @Test func floatOutputIsComparedWithTolerance() async throws {
        let tests: CodeTests = .stdio([StdioTest(input: "2\n", output: "0.6666666667\n")])
        let close = try await grader.gradeAsync(code: "n = int(input())\nprint(n / 3)", tests: tests)
        #expect(close.correct, "\(close.reason)")
        let far = try await grader.gradeAsync(code: "n = int(input())\nprint(round(n / 3, 3))", tests: tests)
        #expect(!far.correct)
    }

    @Test func outputWithoutCodeIsIncorrect() async throws {
        let verdict = try await grader.gradeAsync(output: "The answer is to add them.", tests: sum)
        #expect(verdict.reason == "no code block found")
        #expect(verdict.code == nil)
    }

    /// Pids of `uid` that are not zombies, from /proc.
    func livingProcesses(ofUID uid: UInt32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
            let lines = status.split(separator: "\n")
            let zombie = lines.contains { $0.hasPrefix("State:") && $0.contains("Z") }
            let owner = lines.first { $0.hasPrefix("Uid:") }?.split(whereSeparator: \.isWhitespace).dropFirst().first
            return !zombie && owner.flatMap { UInt32($0) } == uid
        }
    }

    /// Pids in `group` that are not zombies, from /proc.
    func livingProcesses(inGroup group: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.range(of: ")", options: .backwards) else { return false }
            let fields = stat[close.upperBound...].split(separator: " ")
            // After the command: state, ppid, pgrp.
            return fields.count > 2 && fields[0] != "Z" && Int32(fields[2]) == group
        }
    }
}

/// The suites above skip without python3; this one makes that a failure, since `make test` installs it
/// (scripts/setup.sh) and a sandbox that silently never ran proves nothing.
@Suite struct SandboxPrerequisiteTests {
    @Test func python3IsInstalledSoTheSandboxSuitesRun() {
        #expect(pythonAvailable, "python3 is missing: scripts/setup.sh installs it; the code sandbox suites were skipped")
    }
}
