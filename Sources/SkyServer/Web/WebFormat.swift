import Foundation
import SkyCore
import SkyStore

/// How the pages show times, durations, numbers, states and progress.
enum WebFormat {
    /// `2026-11-22 03:41:05` (UTC, as the API's times).
    static func time(_ date: Date?) -> String {
        guard let date else { return "–" }
        return String(date.formatted(.iso8601).replacingOccurrences(of: "T", with: " ").dropLast())
    }

    /// `4.2 s`, `3m 05s`, `2h 10m`.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, seconds >= 0 else { return "–" }
        if seconds < 60 { return String(format: "%.1f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return String(format: "%dm %02ds", whole / 60, whole % 60) }
        return String(format: "%dh %02dm", whole / 3600, whole % 3600 / 60)
    }

    /// A metric value with as many digits as it deserves.
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return String(value) }
        if value == value.rounded(), abs(value) < 1e9 { return String(Int64(value)) }
        let magnitude = abs(value)
        if magnitude >= 1000 { return String(format: "%.0f", value) }
        if magnitude >= 1 { return String(format: "%.3f", value) }
        if magnitude >= 1e-3 { return String(format: "%.4f", value) }
        return String(format: "%.2e", value)
    }

    /// `42.0%`.
    static func percent(_ fraction: Double) -> String { String(format: "%.1f%%", fraction * 100) }

    /// `42.0 ± 3.1` (percentage points), as the paper's tables show accuracy.
    static func accuracy(_ accuracy: Double, standardError: Double?) -> HTML {
        let value = String(format: "%.1f", accuracy * 100)
        guard let standardError else { return "\(value)" }
        return "\(value)<span class=\"se\"> ± \(String(format: "%.1f", standardError * 100))</span>"
    }

    /// A coloured badge for a state.
    static func badge(_ state: JobState, cancelRequested: Bool = false) -> HTML {
        let label = cancelRequested && state == .running ? "cancelling" : state.rawValue
        return "<span class=\"badge \(state.rawValue)\">\(label)</span>"
    }

    /// A progress bar with the job's message; finished jobs show full or empty bars.
    static func progress(_ job: JobRecord) -> HTML {
        let fraction = job.state == .succeeded ? 1 : job.progress
        guard let fraction else { return "<span class=\"muted\">\(job.progressMessage ?? "")</span>" }
        let clamped = min(1, max(0, fraction))
        return """
            <div class="progress \(job.state.rawValue)" title="\(percent(clamped))"><div style="width:\(String(format: "%.1f", clamped * 100))%"></div></div>\
            <span class="progress-text">\(percent(clamped))\(job.progressMessage.map { " · " + $0 } ?? "")</span>
            """
    }

    /// How long the job has run (or ran).
    static func runtime(_ job: JobRecord, now: Date = Date()) -> String {
        guard let started = job.startedAt else { return "–" }
        return duration((job.finishedAt ?? now).timeIntervalSince(started))
    }

    /// A link to a job's page.
    static func jobLink(_ id: Int64) -> HTML { "<a href=\"\(WebPaths.jobs)/\(id)\">#\(id)</a>" }

    /// A link to an experiment's page.
    static func experimentLink(_ name: String?) -> HTML {
        guard let name else { return "<span class=\"muted\">–</span>" }
        return "<a href=\"\(WebPaths.experiments)/\(WebPaths.segment(name))\">\(name)</a>"
    }
}
