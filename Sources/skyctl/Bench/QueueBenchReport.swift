import Foundation

/// What `skyctl bench queue` measured, printable as text or JSON.
struct QueueBenchReport {
    struct Round {
        var wallSeconds: Double
        var jobsPerSecond: Double
        var dbSpanSeconds: Double
    }

    var jobs: Int
    var workers: Int
    var slots: Int
    var claimBatch: Int
    var durability: String
    var rounds: [Round] = []
    var latencyMs = Percentiles([])
    var latencyCount = 0
    var finishedRows = 0
    var claimPlan: String?

    var medianJobsPerSecond: Double { Percentiles(rounds.map(\.jobsPerSecond)).value(50) }

    var text: String {
        var lines = [
            "queue bench: \(jobs) sleep-0 jobs, \(workers) workers × \(slots) slots, claim batch \(claimBatch); \(durability)",
        ]
        for (index, round) in rounds.enumerated() {
            lines.append(String(format: "  round %d: drained in %.3f s = %.0f jobs/s (first claim→last completion %.3f s)",
                                index + 1, round.wallSeconds, round.jobsPerSecond, round.dbSpanSeconds))
        }
        lines.append(String(format: "throughput: median %.0f jobs/s", medianJobsPerSecond))
        lines.append(String(format: "enqueue→start latency over %d jobs (idle workers): p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms",
                            latencyCount, latencyMs.value(50), latencyMs.value(90), latencyMs.value(99), latencyMs.value(100)))
        if let claimPlan {
            let history = finishedRows > 0 ? "beside \(finishedRows) finished jobs" : "with no finished-job history"
            lines.append("claim plan \(history), \(jobs) jobs queued (EXPLAIN ANALYZE of the queued-jobs scan):")
            lines += claimPlan.split(separator: "\n").map { "  " + $0 }
        }
        return lines.joined(separator: "\n")
    }

    var json: String {
        let object: [String: Any] = [
            "jobs": jobs, "workers": workers, "slots": slots, "claimBatch": claimBatch, "durability": durability,
            "roundsJobsPerSecond": rounds.map(\.jobsPerSecond), "medianJobsPerSecond": medianJobsPerSecond,
            "latencyMs": ["p50": latencyMs.value(50), "p90": latencyMs.value(90), "p99": latencyMs.value(99), "max": latencyMs.value(100)],
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
