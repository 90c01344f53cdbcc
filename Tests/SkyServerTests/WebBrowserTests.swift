import Foundation
import Testing

/// The web page in a real headless chromium, against a real skyd with real jobs (scripts/web-screenshots.sh).
///
/// Without its train jobs (`make web-check` runs those too): a debug build trains slowly enough that the CPU it
/// takes upsets the timing of the tests running beside it.
@Suite struct WebBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Logs in through the form, visits every main page, screenshots it, and fails on any JavaScript error.
    @Test(.enabled(if: chromium != nil, "needs Debian's chromium (scripts/setup.sh installs it)"), .timeLimit(.minutes(15)))
    func pagesLoadInChromiumWithoutScriptErrors() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let bin = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        let out = URL(fileURLWithPath: "/tmp/sky-web-check-\(getpid())")
        defer { try? FileManager.default.removeItem(at: out) }
        var environment = ProcessInfo.processInfo.environment
        environment["BIN"] = bin.path
        environment["OUT"] = out.path
        environment["CHROMIUM"] = Self.chromium
        environment["SKY_WEB_TRAIN"] = "0"
        let (status, text) = try runToCompletion(root.appendingPathComponent("scripts/web-screenshots.sh"), [], environment: environment)
        #expect(status == 0, "\(text)")
        #expect(text.contains("over server-sent events"), "the page followed a job's log with its cookie\n\(text)")
        for name in ["login", "jobs", "job-running", "experiments", "experiment-demo", "experiment", "job-perturb", "job-eval", "leaderboards"] {
            let size = (try? FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("\(name).png").path)[.size] as? Int) ?? 0
            #expect(size > 1000, "\(name).png was written\n\(text)")
        }
    }
}
