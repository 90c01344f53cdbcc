import Foundation
import Hummingbird
import SkyCore
import SkyStore

extension SkyAPI {
    /// `/ui/experiments`: every experiment with its jobs by state, most recently active first.
    func experimentsPage(_ request: Request, _ context: SkyRequestContext) async throws -> Response {
        let experiments = try await database { try await queue.experiments() }
        let rows = experiments.map { summary -> HTML in
            let done = summary.counts[.succeeded] ?? 0
            return """
                <tr><td>\(WebFormat.experimentLink(summary.name))</td><td>\(Self.stackedBar(summary.counts))</td>\
                <td class="num">\(done)/\(summary.total)</td><td>\(Self.countsText(summary.counts))</td>\
                <td class="muted">\(WebFormat.time(summary.createdAt))</td><td class="muted">\(WebFormat.time(summary.updatedAt))</td></tr>
                """
        }
        let table: HTML = experiments.isEmpty
            ? "<div class=\"card empty-state\">No experiments yet: jobs submitted with an experiment name appear here.</div>"
            : """
                <table><thead><tr><th>Experiment</th><th>Progress</th><th class="num">Succeeded</th><th>Jobs</th>\
                <th>Created (UTC)</th><th>Last activity</th></tr></thead><tbody>\(rows)</tbody></table>
                """
        let live: HTML = "<div id=\"experiments-live\" data-refresh=\"3000\">\(table)</div>"
        if Self.wantsPartial(request, "experiments-live") { return WebPage.html(live) }
        return WebPage(title: "Experiments", section: .experiments, token: context.token, body: "<h1>Experiments</h1>\(live)").response()
    }

    /// A bar split by state, in the order jobs move through them.
    static func stackedBar(_ counts: [JobState: Int]) -> HTML {
        let total = max(1, counts.values.reduce(0, +))
        let order: [JobState] = [.succeeded, .running, .queued, .waiting, .failed, .cancelled]
        let parts = order.compactMap { state -> HTML? in
            guard let count = counts[state], count > 0 else { return nil }
            let width = String(format: "%.2f", Double(count) / Double(total) * 100)
            return "<span class=\"\(state.rawValue)\" style=\"width:\(width)%\" title=\"\(count) \(state.rawValue)\"></span>"
        }
        return "<div class=\"stacked\">\(parts)</div>"
    }

    /// `3 running · 2 queued · 10 succeeded`, skipping empty states.
    static func countsText(_ counts: [JobState: Int]) -> HTML {
        let parts = JobState.allCases.compactMap { state -> HTML? in
            guard let count = counts[state], count > 0 else { return nil }
            return "<span class=\"\(state.rawValue)-text\">\(count) \(state.rawValue)</span>"
        }
        return HTML.join(parts, separator: " · ")
    }
}
