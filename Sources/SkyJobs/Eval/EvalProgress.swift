import Synchronization
import SkyWorker

/// Problems graded so far across every benchmark of a job, reported as the job's progress.
final class EvalProgress: Sendable {
    private let done = Mutex(0)
    let total: Int
    let context: JobContext

    init(total: Int, context: JobContext) {
        self.total = total
        self.context = context
    }

    /// Counts `problems` more (also those an earlier attempt finished) and reports the fraction.
    func add(_ problems: Int, benchmark: String) {
        let now = done.withLock { count in
            count += problems
            return count
        }
        context.progress(Double(now) / Double(max(1, total)), message: "\(now)/\(total) problems (\(benchmark))")
    }
}
