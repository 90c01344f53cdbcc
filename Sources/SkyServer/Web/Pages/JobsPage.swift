import Foundation
import Hummingbird
import SkyCore
import SkyStore

extension SkyAPI {
    /// `/ui/jobs`: newest jobs first with live state and progress; filters by state, kind and experiment.
    func jobsPage(_ request: Request, _ context: SkyRequestContext) async throws -> Response {
        let query = QueryParameters(request: request, context: context)
        let filter = JobFilter(states: try query.states(), kind: try query.kind(), experiment: query.string("experiment"), tag: query.string("tag"))
        let cursor = try query.cursor()
        let page = try await database { try await queue.list(filter, after: cursor, limit: 100) }
        let live = JobsTable(jobs: page.jobs, nextCursor: page.nextCursor, request: request).html
        if Self.wantsPartial(request, JobsTable.regionID) { return WebPage.html(live) }

        let current = query.string("state")
        let choices: [(String, String?)] = [
            ("All", nil), ("Active", "waiting,queued,running"), ("Running", "running"), ("Succeeded", "succeeded"),
            ("Failed", "failed"), ("Cancelled", "cancelled"),
        ]
        let chips = choices.map { label, states -> HTML in
            var parameters: [String] = states.map { ["state=\(WebPaths.percentEncoded($0))"] } ?? []
            if let kind = filter.kind { parameters.append("kind=\(kind.rawValue)") }
            if let experiment = filter.experiment { parameters.append("experiment=\(WebPaths.percentEncoded(experiment))") }
            let href = WebPaths.jobs + (parameters.isEmpty ? "" : "?" + parameters.joined(separator: "&"))
            return "<a href=\"\(href)\"\(current == states ? HTML(trusted: " class=\"active\"") : "")>\(label)</a>"
        }
        var heading: HTML = "Jobs"
        if let experiment = filter.experiment { heading = "Jobs of \(WebFormat.experimentLink(experiment))" }
        let body: HTML = "<h1>\(heading)</h1><div class=\"filters\">\(chips)</div>\(live)"
        return WebPage(title: "Jobs", section: .jobs, token: context.token, body: body).response()
    }
}

/// The jobs table, the live region of the jobs page.
struct JobsTable {
    static let regionID = "jobs-live"
    var jobs: [JobRecord]
    var nextCursor: Int64?
    var request: Request

    var html: HTML {
        let now = Date()
        let rows = jobs.map { job -> HTML in
            let tags = job.tags.map { tag -> HTML in "<span class=\"tag\">\(tag)</span>" }
            return """
                <tr><td>\(WebFormat.jobLink(job.id))</td><td>\(job.name ?? "")<div>\(tags)</div></td><td>\(job.kind.rawValue)</td>\
                <td class="nowrap">\(WebFormat.experimentLink(job.experiment))</td><td>\(WebFormat.badge(job.state, cancelRequested: job.cancelRequested))</td>\
                <td>\(WebFormat.progress(job))</td><td class="num">\(job.attempt)/\(job.maxAttempts)</td>\
                <td class="muted nowrap">\(WebFormat.time(job.createdAt))</td><td class="num nowrap">\(WebFormat.runtime(job, now: now))</td></tr>
                """
        }
        let table: HTML = jobs.isEmpty
            ? "<div class=\"card empty-state\">No jobs yet. Submit one with <code>skyctl submit</code>.</div>"
            : """
                <table><thead><tr><th>Job</th><th>Name</th><th>Kind</th><th>Experiment</th><th>State</th><th>Progress</th>\
                <th class="num">Attempt</th><th>Created (UTC)</th><th class="num">Runtime</th></tr></thead><tbody>\(rows)</tbody></table>
                """
        var pager: HTML = ""
        if let nextCursor {
            var parameters = request.uri.queryParameters.filter { $0.key != "cursor" }.map { "\($0.key)=\(WebPaths.percentEncoded(String($0.value)))" }
            parameters.append("cursor=\(nextCursor)")
            pager = "<div class=\"pager\"><a href=\"\(WebPaths.jobs)?\(parameters.joined(separator: "&"))\">Older jobs →</a></div>"
        }
        return "<div id=\"\(Self.regionID)\" data-refresh=\"2000\">\(table)\(pager)</div>"
    }
}
