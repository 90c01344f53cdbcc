public import Foundation

/// The tables of `skyctl leaderboard`, accuracies in percent with ± one standard error.
public enum LeaderboardText {
    /// `62.5 ± 3.1`; a missing standard error prints the score alone.
    public static func percent(_ accuracy: Double, _ standardError: Double?) -> String {
        let score = String(format: "%.1f", accuracy * 100)
        guard let standardError else { return score }
        return score + " ± " + String(format: "%.1f", standardError * 100)
    }

    /// One block per benchmark: each model + adapter with its best and latest score.
    public static func render(_ entries: [LeaderboardEntry], now: Date) -> String {
        var blocks: [String] = []
        var byBenchmark: [String: [LeaderboardEntry]] = [:]
        for entry in entries { byBenchmark[entry.benchmark, default: []].append(entry) }
        for benchmark in byBenchmark.keys.sorted() {
            var table = TextTable(headers: ["#", "MODEL", "ADAPTER", "VARIANT", "BEST", "N", "LATEST", "RUNS", "CONFIG", "GRADER", "WHEN"],
                                  rightAligned: [0, 4, 5, 6, 7])
            for (rank, entry) in byBenchmark[benchmark, default: []].enumerated() {
                table.append([
                    String(rank + 1), entry.model, entry.adapter ?? "-", entry.variant,
                    percent(entry.best.accuracy, entry.best.standardError), String(entry.best.n),
                    percent(entry.latest.accuracy, entry.latest.standardError), String(entry.runs),
                    String(entry.best.configHash.prefix(12)), Self.graders(entry), TimeText.relative(entry.latestFinishedAt, now: now),
                ])
            }
            blocks.append("\(benchmark)\n" + table.render())
        }
        return blocks.joined(separator: "\n\n")
    }

    /// Which grader scored the table's cells, and which rows were imported: one line when one grader scored them all,
    /// else each grader with the cells it scored, so two rows graded differently are never compared unawares.
    static func graderNote(_ scores: ExperimentScores) -> String {
        var cellsByGrader: [String: [String]] = [:]
        var imported: [String: Set<String>] = [:]
        for row in scores.rows {
            for benchmark in scores.benchmarks {
                guard let cell = row.scores[benchmark] else { continue }
                cellsByGrader[cell.grader ?? "unrecorded", default: []].append("\(row.variant)/\(benchmark)")
                if let format = cell.importedFrom { imported[format, default: []].insert(row.variant) }
            }
        }
        var lines: [String] = []
        if cellsByGrader.count == 1, let grader = cellsByGrader.keys.first {
            lines.append("graded by \(grader)")
        } else {
            for grader in cellsByGrader.keys.sorted() {
                lines.append("graded by \(grader): \(cellsByGrader[grader]!.joined(separator: ", "))")
            }
        }
        for format in imported.keys.sorted() {
            lines.append("imported from \(format) outputs (graded by Sky): \(imported[format]!.sorted().joined(separator: ", "))")
        }
        return lines.isEmpty ? "" : "\n" + lines.joined(separator: "\n")
    }

    /// `62.5 ± 3.1`, or over several training seeds `62.5 ± 4.0 [± 1.8] ×3`: the seeds' mean and standard deviation, then
    /// the pooled standard error, so run-to-run spread and sampling noise are read side by side.
    static func cell(_ cell: ExperimentScores.Cell) -> String {
        guard let seeds = cell.seeds, seeds > 1 else { return percent(cell.accuracy, cell.standardError) }
        return percent(cell.accuracy, cell.seedStandardDeviation) + (cell.standardError.map { " [± " + String(format: "%.1f", $0 * 100) + "]" } ?? "")
            + " ×\(seeds)"
    }

    /// The best run's grader, and the latest's after a slash when it differs (a model rescored only in part).
    static func graders(_ entry: LeaderboardEntry) -> String {
        let best = entry.best.grader ?? "?", latest = entry.latest.grader ?? "?"
        return best == latest ? best : "\(best) / \(latest)"
    }

    /// The paper's Table 2 shape: one row per variant, one column per benchmark, and the average.
    /// `marked` (variant, benchmark) cells get a † and `markNote` says what it means.
    public static func render(_ scores: ExperimentScores, marked: Set<[String]> = [], markNote: String? = nil) -> String {
        let all = scores.benchmarks
        var table = TextTable(headers: ["VARIANT"] + all.map { $0.uppercased() } + ["AVG"], rightAligned: Set(1...(all.count + 1)))
        for row in scores.rows {
            let cells = all.map { benchmark in
                (row.scores[benchmark].map(cell) ?? "-") + (marked.contains([row.variant, benchmark]) ? "†" : "")
            }
            let complete = row.scores.count == all.count
            table.append([row.variant] + cells + [percent(row.average, row.averageStandardError) + (complete ? "" : "*")])
        }
        var text = table.render()
        if scores.rows.contains(where: { $0.scores.count < all.count }) {
            text += "\n* averaged over the benchmarks that variant has results for"
        }
        if let markNote { text += "\n† " + markNote }
        if scores.rows.contains(where: { $0.scores.values.contains { ($0.seeds ?? 1) > 1 } }) {
            text += "\nover k seeds: mean ± standard deviation over the seeds [± pooled standard error of the mean] ×k"
        }
        text += graderNote(scores)
        return text
    }
}
