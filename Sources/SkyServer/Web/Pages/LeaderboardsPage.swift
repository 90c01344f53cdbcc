import Foundation
import Hummingbird
import SkyCore
import SkyStore

extension SkyAPI {
    /// `/ui/leaderboards`: per benchmark, every model + adapter with its best and latest score.
    func leaderboardsPage(_ request: Request, _ context: SkyRequestContext) async throws -> Response {
        let benchmark = QueryParameters(request: request, context: context).string("benchmark")
        let entries = try await database { try await evals.leaderboard(benchmark: benchmark, limit: 1000) }
        let byBenchmark = Dictionary(grouping: entries, by: \.benchmark)
        let sections = byBenchmark.keys.sorted().map { name -> HTML in
            let ranked = byBenchmark[name]!.sorted { ($0.best.accuracy, $1.latestFinishedAt) > ($1.best.accuracy, $0.latestFinishedAt) }
            let rows = ranked.enumerated().map { rank, entry -> HTML in
                let best = WebFormat.accuracy(entry.best.accuracy, standardError: entry.best.standardError)
                let latest = WebFormat.accuracy(entry.latest.accuracy, standardError: entry.latest.standardError)
                let bestLink: HTML = entry.best.jobID.map { id -> HTML in "<a href=\"\(WebPaths.jobs)/\(id)\">\(best)</a>" } ?? best
                let latestLink: HTML = entry.latest.jobID.map { id -> HTML in "<a href=\"\(WebPaths.jobs)/\(id)\">\(latest)</a>" } ?? latest
                return """
                    <tr><td class="num">\(rank + 1)</td><td title="\(entry.modelSHA256)">\(entry.model)</td>\
                    <td title="\(entry.adapterSHA256 ?? "")">\(entry.adapter ?? "–")</td><td>\(WebFormat.experimentLink(entry.experiment))</td>\
                    <td>\(entry.variant)</td><td class="num">\(bestLink)</td><td class="num">\(latestLink)</td>\
                    <td class="num">\(entry.best.n)</td><td class="num">\(entry.runs)</td><td class="muted">\(WebFormat.time(entry.latestFinishedAt))</td></tr>
                    """
            }
            return """
                <h2>\(name)</h2><table><thead><tr><th class="num">#</th><th>Model</th><th>Adapter</th><th>Experiment</th><th>Variant</th>\
                <th class="num">Best %</th><th class="num">Latest %</th><th class="num">n</th><th class="num">Runs</th><th>Last run (UTC)</th></tr></thead>\
                <tbody>\(rows)</tbody></table>
                """
        }
        let content: HTML = sections.isEmpty
            ? "<div class=\"card empty-state\">No finished eval runs yet: submit an <code>eval</code> job.</div>"
            : HTML.join(sections)
        let live: HTML = "<div id=\"leaderboards-live\" data-refresh=\"5000\">\(content)</div>"
        if Self.wantsPartial(request, "leaderboards-live") { return WebPage.html(live) }
        let body: HTML = """
            <h1>Leaderboards</h1><p class="muted">Accuracy in percent ± one standard error, by benchmark; the same rows as \
            <code>skyctl leaderboard</code> and the <code>leaderboard</code> view.</p>\(live)
            """
        return WebPage(title: "Leaderboards", section: .leaderboards, token: context.token, body: body).response()
    }
}
