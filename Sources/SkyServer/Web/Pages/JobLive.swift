import Foundation
import SkyCore
import SkyStore

/// The live regions of a job's page: above the log its facts, eval results and plots; below it the latest
/// metric values, result and events.
struct JobLive {
    static let summaryID = "job-live"
    static let detailsID = "job-details"
    var job: JobRecord
    var events: [JobEvent]
    var latest: [JobMetricPoint]
    /// Every point of each plotted series.
    var series: [String: [JobMetricPoint]]
    var runs: [EvalRunRecord]
    /// While queued, why no live worker can claim the job.
    var waitingReason: String?

    /// Train curves and an eval's running accuracy are plotted; the rest is listed with its latest value.
    static func isPlotted(_ key: String, kind: JobKind) -> Bool {
        ["loss", "eval_loss", "learning_rate", "grad_norm", "tokens_per_s"].contains(key) || key.hasPrefix("running_accuracy/")
    }

    /// The region the page's script asked for by id.
    func region(_ id: String?) -> HTML? {
        switch id {
        case Self.summaryID?: summary
        case Self.detailsID?: details
        default: nil
        }
    }

    var summary: HTML {
        let job = self.job
        let dependencies = job.dependsOn.isEmpty ? HTML("–") : HTML.join(job.dependsOn.map(WebFormat.jobLink), separator: ", ")
        let tags = job.tags.map { tag -> HTML in "<span class=\"tag\">\(tag)</span>" }
        let facts: [(String, HTML)] = [
            ("State", WebFormat.badge(job.state, cancelRequested: job.cancelRequested)), ("Progress", WebFormat.progress(job)),
            ("Experiment", WebFormat.experimentLink(job.experiment)), ("Queue", "\(job.queue)"),
            ("Attempt", "\(job.attempt) of \(job.maxAttempts)"), ("Worker", "\(job.workerID ?? "–")"),
            ("Created (UTC)", "\(WebFormat.time(job.createdAt))"), ("Started", "\(WebFormat.time(job.startedAt))"),
            ("Finished", "\(WebFormat.time(job.finishedAt))"), ("Runtime", "\(WebFormat.runtime(job))"),
            ("Depends on", dependencies), ("Tags", tags.isEmpty ? "–" : HTML.join(tags)),
        ]
        let list = facts.map { label, value -> HTML in "<div><dt>\(label)</dt><dd>\(value)</dd></div>" }
        var parts: [HTML] = ["<div class=\"card\"><dl class=\"facts\">\(list)</dl></div>"]
        if let waitingReason { parts.append("<p class=\"waiting\">Waiting: \(waitingReason); it stays queued until such a worker joins.</p>") }
        if let error = job.error { parts.append("<h2>Error</h2><pre class=\"error\">\(error)</pre>") }
        if !runs.isEmpty { parts.append(evalRuns) }
        if !series.isEmpty { parts.append("<h2>Metrics</h2><div class=\"plots\">\(plots)</div>") }
        return wrapped(Self.summaryID, parts)
    }

    var details: HTML {
        var parts: [HTML] = []
        if !latest.isEmpty { parts.append(latestValues) }
        parts.append(eventTable)
        if let result = job.result, result != .null {
            parts.append("<h2>Result</h2><pre class=\"json\">\(SkyAPI.prettyJSON(result))</pre>")
        }
        return wrapped(Self.detailsID, parts)
    }

    /// A region the script refreshes until the job is finished.
    private func wrapped(_ id: String, _ parts: [HTML]) -> HTML {
        "<div id=\"\(id)\" data-refresh=\"2000\" data-final=\"\(job.state.isFinal ? "true" : "false")\">\(parts)</div>"
    }

    /// Points of `key` by step; where a retry re-ran a step, its latest value.
    func points(_ key: String) -> [(x: Double, y: Double)] {
        var byStep: [Int: Double] = [:]
        for point in series[key] ?? [] { byStep[point.step] = point.value }
        return byStep.keys.sorted().map { (Double($0), byStep[$0]!) }
    }

    private var plots: HTML {
        var figures: [SVGPlot] = []
        let loss = [("loss", "train"), ("eval_loss", "eval")].map { SVGPlot.Series(name: $1, points: points($0)) }
        figures.append(SVGPlot(title: "Loss", series: loss))
        figures.append(SVGPlot(title: "Learning rate", series: [.init(name: "lr", points: points("learning_rate"))]))
        let accuracy = series.keys.filter { $0.hasPrefix("running_accuracy/") }.sorted().map {
            SVGPlot.Series(name: String($0.dropFirst("running_accuracy/".count)), points: points($0))
        }
        figures.append(SVGPlot(title: "Accuracy (running, by problems graded)", series: accuracy, yRange: 0...1))
        figures.append(SVGPlot(title: "Gradient norm", series: [.init(name: "norm", points: points("grad_norm"))]))
        figures.append(SVGPlot(title: "Tokens per second", series: [.init(name: "tok/s", points: points("tokens_per_s"))]))
        return HTML.join(figures.filter { !$0.series.isEmpty }.map(\.html))
    }

    private var latestValues: HTML {
        let rows = latest.sorted { $0.key < $1.key }.map { point -> HTML in
            "<tr><td>\(point.key)</td><td class=\"num\">\(WebFormat.number(point.value))</td><td class=\"num\">\(point.step)</td><td class=\"num\">\(point.token.attempt)</td></tr>"
        }
        return """
            <h2>Latest values</h2><table><thead><tr><th>Metric</th><th class="num">Value</th><th class="num">Step</th>\
            <th class="num">Attempt</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    private var evalRuns: HTML {
        let rows = runs.map { run -> HTML in
            let score: HTML = run.accuracy.map { WebFormat.accuracy($0, standardError: run.standardError) } ?? "–"
            return """
                <tr><td>\(run.benchmark)</td><td>\(run.variant)</td><td class="num">\(score)</td><td class="num">\(run.problems)</td>\
                <td class="num">\(run.samplesPerProblem)</td><td>\(run.state)</td><td class="muted">\(WebFormat.time(run.finishedAt))</td></tr>
                """
        }
        return """
            <h2>Eval results</h2><table><thead><tr><th>Benchmark</th><th>Variant</th><th class="num">Accuracy %</th>\
            <th class="num">Problems</th><th class="num">n</th><th>Run</th><th>Finished</th></tr></thead><tbody>\(rows)</tbody></table>
            """
    }

    private var eventTable: HTML {
        let rows = events.map { event -> HTML in
            let from: HTML = event.from.map { WebFormat.badge($0) } ?? "<span class=\"muted\">new</span>"
            return """
                <tr><td class="muted">\(WebFormat.time(event.at))</td><td class="num">\(event.attempt)</td><td>\(from) → \(WebFormat.badge(event.to))</td>\
                <td>\(event.workerID ?? "")</td><td>\(event.reason ?? "")</td></tr>
                """
        }
        return """
            <h2>Events</h2><table><thead><tr><th>At (UTC)</th><th class="num">Attempt</th><th>Change</th><th>Worker</th><th>Why</th></tr></thead>\
            <tbody>\(rows)</tbody></table>
            """
    }
}
