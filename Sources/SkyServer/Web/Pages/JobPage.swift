import Foundation
import Hummingbird
import SkyCore
import SkyStore

extension SkyAPI {
    /// `/ui/jobs/{id}`: a job's facts, plots, events and eval results (live), its spec, and its log (followed).
    func jobPage(_ request: Request, _ context: SkyRequestContext) async throws -> Response {
        let id = try QueryParameters(request: request, context: context).pathID()
        let live = try await jobLive(id)
        if let region = live.region(request.headers[SkyAPI.partialHeader]) { return WebPage.html(region) }
        let (job, lines) = try await database {
            (try await queue.job(id), try await queue.logPage(of: id, after: nil, limit: 500))
        }
        var actions: [HTML] = []
        if !job.state.isFinal {
            actions.append("<button class=\"danger\" data-action=\"/v1/jobs/\(id)/cancel\">Cancel</button>")
        } else if job.state != .succeeded {
            actions.append("<button data-action=\"/v1/jobs/\(id)/retry\">Retry</button>")
        }
        let title: HTML = job.name.map { name -> HTML in "#\(id) \(name)" } ?? "#\(id)"
        // The log streams from the API when the job may still write, or when the first page was not all of it.
        let follow = !job.state.isFinal || lines.count == 500
        let logLines = lines.map { _, line -> HTML in
            "<div class=\"line \(line.level)\"><span class=\"at\">\(WebFormat.time(line.at).suffix(8).description)</span><span>\(line.message)</span></div>"
        }
        let log: HTML = logLines.isEmpty ? "<span class=\"empty\">No log lines yet.</span>" : HTML.join(logLines)
        let body: HTML = """
            <h1>\(title) <span class="kind">\(job.kind.rawValue)</span><span class="actions">\(actions)<span id="action-status" class="muted"></span></span></h1>
            \(live.summary)
            <h2>Log <span id="log-status" class="muted"></span></h2>
            <pre class="log" data-job="\(id)" data-cursor="\(lines.last.map { String($0.id) } ?? "")" data-follow="\(follow ? "true" : "false")">\(log)</pre>
            \(live.details)
            <h2>Spec</h2>
            <pre class="json">\(Self.prettyJSON(job.spec))</pre>
            """
        return WebPage(title: "Job \(id)", section: .jobs, token: context.token, body: body).response()
    }

    private func jobLive(_ id: Int64) async throws -> JobLive {
        try await database {
            let job = try await queue.job(id)
            let events = try await queue.events(of: id)
            let latest = try await queue.latestMetrics(of: id)
            var series: [String: [JobMetricPoint]] = [:]
            for point in latest where JobLive.isPlotted(point.key, kind: job.kind) {
                series[point.key] = try await queue.metrics(of: id, key: point.key)
            }
            var runs: [EvalRunRecord] = []
            if job.kind == .eval { runs = try await evals.runs(ofJob: id) }
            let waiting = job.state == .queued ? try await queue.waitReasons(of: [id])[id] : nil
            return JobLive(job: job, events: events, latest: latest, series: series, runs: runs, waitingReason: waiting)
        }
    }

    /// Indented JSON with sorted keys, for specs and results.
    static func prettyJSON(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
