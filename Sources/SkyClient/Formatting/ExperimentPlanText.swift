import Foundation
import SkyCore

/// The text of `skyctl experiment submit` and `skyctl experiment status`.
public enum ExperimentPlanText {
    /// Stages in the order an experiment runs them; jobs without a stage tag come last.
    public static let stages = ["pretrain", "perturb", "train", "eval", "import"]

    /// One row per planned job, then what was new, reused and re-run.
    public static func render(_ submission: ExperimentSubmission) -> String {
        var table = TextTable(headers: ["#", "STAGE", "VARIANT", "JOB", "ID", "ACTION"], rightAligned: [0, 4])
        for job in submission.jobs {
            table.append([String(job.index), job.stage, job.variant, job.name, job.id.map(String.init) ?? "-", job.action])
        }
        let counts = submission.counts
        let summary = submission.dryRun
            ? "would create \(counts.new) new, reuse \(counts.reused), re-run \(counts.rerun) (dry run: nothing stored)"
            : "created \(counts.new) new, reused \(counts.reused), re-ran \(counts.rerun)"
        return table.render() + "\n\(submission.experiment): \(submission.jobs.count) jobs — " + summary
    }

    /// The stage of a job, from its `stage:` tag.
    public static func stage(of job: Job) -> String {
        job.tags.first { $0.hasPrefix("stage:") }.map { String($0.dropFirst("stage:".count)) } ?? "other"
    }

    /// Progress per stage (jobs by state), the running jobs with their progress, and every failure with its error.
    public static func progress(_ detail: ExperimentDetail) -> String {
        var byStage: [String: [Job]] = [:]
        for job in detail.jobs { byStage[stage(of: job), default: []].append(job) }
        let order = stages + byStage.keys.filter { !stages.contains($0) }.sorted()
        var table = TextTable(headers: ["STAGE", "JOBS", "DONE", "STATES"], rightAligned: [1, 2])
        for stage in order {
            guard let jobs = byStage[stage] else { continue }
            var counts = StateCounts()
            for job in jobs { counts.add(job.state) }
            table.append([stage, String(jobs.count), "\(counts.succeeded)/\(jobs.count)", ExperimentTable.countsText(counts)])
        }
        var lines = ["Experiment \(detail.name): \(detail.total) jobs — \(ExperimentTable.countsText(detail.counts))", "", table.render()]
        let running = detail.jobs.filter { $0.state == .running }
        if !running.isEmpty {
            lines += ["", "Running:"]
            for job in running {
                let percent = job.progress.map { String(format: "%3.0f%%", $0 * 100) } ?? "  - "
                lines.append("  \(job.id) \(job.name ?? job.kind.rawValue)  \(percent)  \(job.progressMessage ?? "")")
            }
        }
        let failed = detail.jobs.filter { $0.state == .failed || $0.state == .cancelled }
        if !failed.isEmpty {
            lines += ["", "Failed or cancelled:"]
            for job in failed {
                lines.append("  \(job.id) \(job.name ?? job.kind.rawValue) (\(job.state.rawValue)): \(job.error ?? "no error recorded")")
            }
        }
        return lines.joined(separator: "\n")
    }
}
