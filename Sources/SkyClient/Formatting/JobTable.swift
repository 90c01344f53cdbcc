public import Foundation
public import SkyCore

/// The job listing of `skyctl status`, in the style of SkyPilot's `sky jobs queue`.
public struct JobTable: Sendable {
    /// Adds WORKER, STARTED and ERROR.
    public var showAll: Bool
    public var style: TerminalStyle

    /// A table renderer.
    public init(showAll: Bool = false, style: TerminalStyle = TerminalStyle(enabled: false)) {
        self.showAll = showAll
        self.style = style
    }

    /// The table of `jobs` as of `now`, then the summary line.
    public func render(_ jobs: [Job], now: Date) -> String {
        var headers = ["ID", "KIND", "NAME/EXPERIMENT", "REQUESTED", "SUBMITTED", "TOT. DURATION", "JOB DURATION", "ATTEMPTS", "PROGRESS", "STATUS"]
        if showAll { headers += ["WORKER", "STARTED", "ERROR"] }
        var table = TextTable(headers: headers, rightAligned: [0])
        for job in jobs {
            var row = [
                String(job.id), job.kind.rawValue, Self.label(job), Self.requested(job.requirements),
                TimeText.relative(job.createdAt, now: now), TimeText.duration(job.timings.totalSeconds),
                TimeText.duration(job.timings.runSeconds), "\(job.attemptsUsed)/\(job.maxAttempts)", Self.progress(job),
                style.paint(Self.status(job), TerminalStyle.colour(of: job.state)),
            ]
            if showAll {
                row += [job.workerId ?? "-", TimeText.timestamp(job.startedAt), Self.firstLine(job.error, limit: 60)]
            }
            table.append(row)
        }
        // A queued job no live worker can claim would otherwise look like one about to start.
        let waiting = jobs.compactMap { job in job.waitingReason.map { "Job \(job.id) waits: \($0)." } }
        return table.render() + "\n" + Self.summary(jobs) + waiting.map { "\n" + $0 }.joined()
    }

    /// `In progress: 2 running, 5 queued` over the jobs not yet finished; `No jobs in progress.` without any.
    public static func summary(_ jobs: [Job]) -> String {
        let counts = Dictionary(grouping: jobs.filter { !$0.state.isFinal }, by: \.state).mapValues(\.count)
        let parts = [JobState.running, .queued, .waiting].compactMap { state in counts[state].map { "\($0) \(state.rawValue)" } }
        return parts.isEmpty ? "No jobs in progress." : "In progress: " + parts.joined(separator: ", ")
    }

    /// The job's name and experiment, `name (experiment)`, whichever it has.
    static func label(_ job: Job) -> String {
        switch (job.name, job.experiment) {
        case (let name?, let experiment?): "\(name) (\(experiment))"
        case (let name?, nil): name
        case (nil, let experiment?): "(\(experiment))"
        case (nil, nil): "-"
        }
    }

    /// `cuda, 16GB, h100` from the requirements; `-` for any worker.
    public static func requested(_ requirements: JobRequirements) -> String {
        var parts: [String] = []
        if let backend = requirements.backend { parts.append(backend) }
        if let memory = requirements.minMemoryMB {
            parts.append(memory >= 1024 && memory % 1024 == 0 ? "\(memory / 1024)GB" : "\(memory)MB")
        }
        parts += requirements.labels
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }

    /// `42%`, or `-` when the executor reported none; a finished success shows 100%.
    static func progress(_ job: Job) -> String {
        if job.state == .succeeded { return "100%" }
        guard let progress = job.progress else { return "-" }
        return "\(Int((progress * 100).rounded(.down)))%"
    }

    /// The state in capitals, `CANCELLING` while a running job is asked to stop.
    static func status(_ job: Job) -> String {
        job.cancelRequested && job.state == .running ? "CANCELLING" : job.state.rawValue.uppercased()
    }

    /// The first line of `text`, cut to `limit` characters.
    static func firstLine(_ text: String?, limit: Int) -> String {
        guard let line = text?.split(separator: "\n").first.map(String.init) else { return "-" }
        return line.count > limit ? String(line.prefix(limit - 1)) + "…" : line
    }
}
