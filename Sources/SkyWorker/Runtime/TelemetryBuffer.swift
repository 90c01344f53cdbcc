import SkyStore
import Synchronization

/// Write-behind buffer for a worker's logs, metrics, progress and completions.
///
/// Executors append without waiting; the worker's flusher writes everything pending in one transaction
/// per kind of row. While a flush is in flight new items accumulate, so batches grow exactly when the
/// database is the bottleneck. Completions wake the flusher at once; telemetry waits for the next tick.
final class TelemetryBuffer: Sendable {
    /// Lines kept while the database is unreachable; older ones are dropped past this and counted.
    static let maxBufferedLogs = 100_000

    struct Batch {
        var logs: [JobLogLine] = []
        var metrics: [JobMetricPoint] = []
        var progress: [JobToken: JobProgress] = [:]
        var completions: [JobCompletion] = []

        var isEmpty: Bool { logs.isEmpty && metrics.isEmpty && progress.isEmpty && completions.isEmpty }
    }

    private struct State {
        var pending = Batch()
        var inFlight: [JobCompletion] = []
        var droppedLogs = 0
    }

    private let state = Mutex(State())
    /// Signalled when a completion arrives.
    let completionArrived = WakeSignal()

    func add(log: JobLogLine) {
        state.withLock { state in
            if state.pending.logs.count >= Self.maxBufferedLogs {
                state.pending.logs.removeFirst()
                state.droppedLogs += 1
            }
            state.pending.logs.append(log)
        }
    }

    func add(metric: JobMetricPoint) {
        state.withLock { $0.pending.metrics.append(metric) }
    }

    func set(progress: JobProgress) {
        state.withLock { $0.pending.progress[progress.token] = progress }
    }

    func complete(_ completion: JobCompletion) {
        state.withLock { $0.pending.completions.append(completion) }
        completionArrived.signal()
    }

    /// Takes everything pending for one flush.
    func take() -> Batch {
        state.withLock { state in
            let batch = state.pending
            state.pending = Batch()
            state.inFlight = batch.completions
            return batch
        }
    }

    /// Puts a batch whose flush failed back in front of what arrived since.
    func restore(_ batch: Batch) {
        state.withLock { state in
            state.pending.logs = batch.logs + state.pending.logs
            state.pending.metrics = batch.metrics + state.pending.metrics
            state.pending.progress.merge(batch.progress) { newer, _ in newer }
            state.pending.completions = batch.completions + state.pending.completions
            state.inFlight = []
        }
    }

    /// Marks the in-flight completions as written.
    func flushed() {
        state.withLock { $0.inFlight = [] }
    }

    /// Runs with a completion not yet written: their leases must still be heartbeated.
    var unwrittenCompletions: [JobToken] {
        state.withLock { ($0.inFlight + $0.pending.completions).map(\.token) }
    }

    var isEmpty: Bool {
        state.withLock { $0.pending.isEmpty && $0.inFlight.isEmpty }
    }
}
