public import Foundation
import SkyCore

/// The text of `skyctl show`: every field of a job, its spec and result, and its state changes.
public struct JobDetailText: Sendable {
    public var style: TerminalStyle

    /// A renderer.
    public init(style: TerminalStyle = TerminalStyle(enabled: false)) { self.style = style }

    /// `job` and `events` as of `now`.
    public func render(_ job: Job, events: [JobEvent], now: Date) -> String {
        var fields: [(String, String)] = [
            ("ID", String(job.id)), ("Kind", job.kind.rawValue), ("Name", job.name ?? "-"),
            ("State", style.paint(JobTable.status(job), TerminalStyle.colour(of: job.state))),
            ("Experiment", job.experiment ?? "-"), ("Queue", job.queue), ("Priority", String(job.priority)),
            ("Requested", JobTable.requested(job.requirements)),
            ("Attempts", "\(job.attemptsUsed)/\(job.maxAttempts) (claims: \(job.attempt))"),
            ("Worker", job.workerId ?? "-"), ("Progress", JobTable.progress(job) + (job.progressMessage.map { " \($0)" } ?? "")),
            ("Tags", job.tags.isEmpty ? "-" : job.tags.joined(separator: ", ")),
            ("Depends on", job.dependsOn.isEmpty ? "-" : job.dependsOn.map(String.init).joined(separator: ", ")),
            ("Idempotency key", job.idempotencyKey ?? "-"),
            ("Submitted", "\(TimeText.timestamp(job.createdAt)) (\(TimeText.relative(job.createdAt, now: now)))"),
            ("Run after", TimeText.timestamp(job.runAfter)), ("Started", TimeText.timestamp(job.startedAt)),
            ("Finished", TimeText.timestamp(job.finishedAt)), ("Lease expires", TimeText.timestamp(job.leaseExpiresAt)),
            ("Total duration", TimeText.duration(job.timings.totalSeconds)),
            ("Job duration", TimeText.duration(job.timings.runSeconds)),
        ]
        if let reason = job.waitingReason { fields.append(("Waiting", "\(reason); it stays queued until such a worker joins")) }
        if job.cancelRequested { fields.append(("Cancel requested", "yes")) }
        if let error = job.error { fields.append(("Error", error)) }
        let width = fields.map(\.0.count).max() ?? 0
        var text = fields.map { name, value in name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value }
            .joined(separator: "\n")
        text += "\n\nSpec:\n" + Self.indented(Self.prettyJSON(job.spec))
        if let result = job.result, result != .null { text += "\n\nResult:\n" + Self.indented(Self.prettyJSON(result)) }
        var table = TextTable(headers: ["AT", "ATTEMPT", "FROM", "TO", "WORKER", "REASON"])
        for event in events {
            table.append([
                TimeText.timestamp(event.at), String(event.attempt), event.from?.rawValue ?? "-",
                style.paint(event.to.rawValue, TerminalStyle.colour(of: event.to)), event.workerId ?? "-", event.reason ?? "",
            ])
        }
        return text + "\n\nEvents:\n" + Self.indented(table.render())
    }

    static func prettyJSON(_ value: JSONValue) -> String {
        (try? APIJSON.pretty(value)) ?? "\(value)"
    }

    static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}
