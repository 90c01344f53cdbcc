import Foundation
import Hummingbird
import SkyCore
import SkyStore

extension SkyAPI {
    /// `/ui/experiments/{name}`: progress per stage and the paper-shaped table (variants × benchmarks).
    func experimentPage(_ request: Request, _ context: SkyRequestContext) async throws -> Response {
        let name = try QueryParameters(request: request, context: context).pathString("name")
        let (jobs, table) = try await database { (try await queue.jobs(experiment: name), try await evals.experimentTable(name)) }
        let seeded = table.contains { $0.scores.values.contains { $0.seeds > 1 } }
        let seeds = seeded ? try await database { try await evals.seedScores(name) } : []
        guard !jobs.isEmpty else { throw APIProblem.notFound("experiment '\(name)' has no jobs") }
        // Cells are compared with the paper's reference row, long CoT on correct data, when the table has one.
        let reference = table.contains { $0.variant == ExperimentLive.reference } ? ExperimentLive.reference : nil
        var pValues: [String: [String: Double]] = [:]
        if let reference { pValues = try await database { try await evals.pairedPValues(experiment: name, against: reference) } }
        let live = ExperimentLive(jobs: jobs, table: table, pValues: pValues, seeds: seeds).html
        if Self.wantsPartial(request, ExperimentLive.regionID) { return WebPage.html(live) }
        let body: HTML = """
            <h1>\(name)<span class="actions"><a href="\(WebPaths.jobs)?experiment=\(WebPaths.percentEncoded(name))">All its jobs →</a></span></h1>\(live)
            """
        return WebPage(title: name, section: .experiments, token: context.token, body: body).response()
    }
}

/// The live region of an experiment's page.
struct ExperimentLive {
    static let regionID = "experiment-live"
    /// The row other cells are tested against.
    static let reference = "correct"
    var jobs: [JobRecord]
    var table: [ExperimentTableRow]
    /// variant → benchmark → exact McNemar p against the reference row's samples.
    var pValues: [String: [String: Double]] = [:]
    /// Every training seed's score, when some cell averages over several seeds (else empty: nothing to plot).
    var seeds: [SeedScore] = []

    /// A job's stage: its `stage:` tag when it has one (experiment files set it), else its kind.
    static func stage(of job: JobRecord) -> String {
        job.tags.first { $0.hasPrefix("stage:") }.map { String($0.dropFirst("stage:".count)) } ?? job.kind.rawValue
    }

    /// What to call a job within its stage: its `variant:` tag, else its name, else its kind.
    static func label(of job: JobRecord) -> String {
        job.tags.first { $0.hasPrefix("variant:") }.map { String($0.dropFirst("variant:".count)) } ?? job.name ?? job.kind.rawValue
    }

    /// The grid's stages in the order work flows through them; other stages follow in submission order.
    static let pipeline = ["pretrain", "base", "perturb", "train", "eval", "import"]

    /// Jobs grouped by stage, stages in pipeline order, then in the order their first job was submitted.
    static func stages(_ jobs: [JobRecord]) -> [(name: String, jobs: [JobRecord])] {
        var order: [String] = []
        var groups: [String: [JobRecord]] = [:]
        for job in jobs.sorted(by: { $0.id < $1.id }) {
            let key = Self.stage(of: job)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(job)
        }
        let rank = { (stage: String) in pipeline.firstIndex(of: stage) ?? pipeline.count }
        let sorted = order.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
        return sorted.map { ($0, groups[$0]!) }
    }

    var html: HTML {
        let counts = Dictionary(grouping: jobs, by: \.state).mapValues(\.count)
        let done = counts[.succeeded] ?? 0
        let cards = Self.stages(jobs).map { stage, jobs -> HTML in
            let counts = Dictionary(grouping: jobs, by: \.state).mapValues(\.count)
            let items = jobs.map { job -> HTML in
                let progress: HTML = job.state == .running ? " \(WebFormat.percent(job.progress ?? 0))" : ""
                return "<li><span>\(WebFormat.jobLink(job.id)) \(Self.label(of: job))</span><span>\(WebFormat.badge(job.state))\(progress)</span></li>"
            }
            return """
                <div class="stage card"><h3><span>\(stage)</span><span class="muted">\(counts[.succeeded] ?? 0)/\(jobs.count)</span></h3>\
                \(SkyAPI.stackedBar(counts))<ul>\(items)</ul></div>
                """
        }
        let final = jobs.allSatisfy(\.state.isFinal)
        return """
            <div id="\(Self.regionID)" data-refresh="3000" data-final="\(final ? "true" : "false")">
            <div class="card"><div class="filters">\(SkyAPI.stackedBar(counts))<span>\(done) of \(jobs.count) jobs succeeded</span>\
            <span class="muted">\(counts.count > 1 ? SkyAPI.countsText(counts) : "")</span></div></div>
            <h2>Stages</h2><div class="stages">\(cards)</div>
            <h2>Results</h2>\(resultTable)\(seedPlots)
            </div>
            """
    }

    /// Variants × benchmarks and the average, accuracy in percent ± one standard error; the best per column bold.
    private var resultTable: HTML {
        guard !table.isEmpty else {
            return "<div class=\"card empty-state\">No eval results yet: the table fills in as eval jobs finish.</div>"
        }
        let benchmarks = Set(table.flatMap(\.scores.keys)).sorted()
        let best = Dictionary(uniqueKeysWithValues: benchmarks.map { benchmark in
            (benchmark, table.compactMap { $0.scores[benchmark]?.accuracy }.max() ?? 0)
        })
        let bestAverage = table.map(\.average).max() ?? 0
        let header = benchmarks.map { benchmark -> HTML in "<th class=\"num\">\(benchmark)</th>" }
        let rows = table.map { row -> HTML in
            let cells = benchmarks.map { benchmark -> HTML in
                guard let cell = row.scores[benchmark] else { return "<td class=\"num muted\">–</td>" }
                let score: HTML = cell.seeds > 1
                    ? WebFormat.accuracy(cell.accuracy, standardError: cell.seedStandardDeviation)
                        + " <span class=\"muted\">[± \(String(format: "%.1f", (cell.standardError ?? 0) * 100))] ×\(cell.seeds)</span>"
                    : WebFormat.accuracy(cell.accuracy, standardError: cell.standardError)
                let linked: HTML = cell.jobID.map { id -> HTML in "<a href=\"\(WebPaths.jobs)/\(id)\">\(score)</a>" } ?? score
                let p = pValues[row.variant]?[benchmark]
                let mark: HTML = p.map { $0 < 0.05 ? HTML(trusted: "<span title=\"McNemar p = \(String(format: "%.2g", $0))\">†</span>") : "" } ?? ""
                return "<td class=\"num\(cell.accuracy == best[benchmark] ? HTML(trusted: " best") : "")\" title=\"graded by \(cell.grader ?? "unrecorded")\">\(linked)\(mark)</td>"
            }
            let average = WebFormat.accuracy(row.average, standardError: row.averageStandardError)
            let formats = Set(row.scores.values.compactMap(\.importedFrom)).sorted()
            let imported: HTML = formats.isEmpty ? "" : " <span class=\"muted\">(imported: \(formats.joined(separator: ", ")))</span>"
            return """
                <tr><td>\(row.variant)\(imported)</td>\(cells)<td class="num\(row.average == bestAverage ? HTML(trusted: " best") : "")">\(average)</td></tr>
                """
        }
        return """
            <table class="results"><thead><tr><th>Variant</th>\(header)<th class="num">Average</th></tr></thead><tbody>\(rows)</tbody></table>
            <p class="muted">Accuracy in percent ± one standard error, from the <code>experiment_table</code> view; the best of each column in bold.\(seeds.isEmpty ? "" : " Over k seeds: the seeds' mean ± their standard deviation [± the pooled standard error] ×k.")\(pValues.isEmpty ? "" : HTML(trusted: " † differs from <em>\(Self.reference)</em> sample by sample (exact McNemar p &lt; 0.05, <code>eval_run_comparisons</code>)."))</p>
            <p class="muted">\(graders)</p>
            """
    }

    /// Per benchmark, each variant's seeds as dots around their mean, rows in the table's order.
    private var seedPlots: HTML {
        guard !seeds.isEmpty else { return "" }
        let order = table.map(\.variant)
        let plots = Set(seeds.map(\.benchmark)).sorted().map { benchmark -> HTML in
            let columns = order.map { variant in
                SVGSeedPlot.Column(variant: variant, seeds: seeds.filter { $0.benchmark == benchmark && $0.variant == variant }
                    .map { ($0.seed, $0.accuracy) })
            }
            return SVGSeedPlot(benchmark: benchmark, columns: columns).html
        }
        return "<h2>Seeds</h2><div class=\"plots\">\(plots)</div>"
    }

    /// Which grader scored the cells: one line when one grader scored them all, else each with its cell count
    /// (a cell's tooltip names its own), so rows graded differently are not compared unawares.
    private var graders: HTML {
        let byGrader = Dictionary(grouping: table.flatMap { $0.scores.values }, by: { $0.grader ?? "unrecorded" })
        if byGrader.count == 1, let grader = byGrader.keys.first { return "Graded by \(grader)." }
        let parts = byGrader.keys.sorted().map { "\($0) (\(byGrader[$0]!.count) cells)" }
        return "Graded by several grader versions: \(parts.joined(separator: ", ")). Rescore (skyctl eval rescore) to compare like with like."
    }
}
