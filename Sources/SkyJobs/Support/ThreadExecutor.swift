import Foundation
import Synchronization

/// A task executor with one thread of its own, for async work that computes for minutes between suspensions
/// (sampling with awaits for storage in between): run under `withTaskExecutorPreference`, it keeps BLAS off
/// the cooperative pool, whose few threads the worker's heartbeats and telemetry need.
final class ThreadExecutor: TaskExecutor, Sendable {
    private struct State: ~Copyable {
        var jobs: [UnownedJob] = []
        var stopping = false
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    /// Starts the thread; call `stop()` when done with it.
    init(name: String) {
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.stackSize = 16 << 20
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        state.withLock { $0.jobs.append(unowned) }
        wake.signal()
    }

    /// Ends the thread once the jobs already enqueued have run.
    func stop() {
        state.withLock { $0.stopping = true }
        wake.signal()
    }

    private func loop() {
        while true {
            wake.wait()
            while let job = state.withLock({ $0.jobs.isEmpty ? nil : $0.jobs.removeFirst() }) {
                job.runSynchronously(on: asUnownedTaskExecutor())
            }
            if state.withLock({ $0.stopping && $0.jobs.isEmpty }) { return }
        }
    }

    /// `body` run with this executor preferred, on a new executor stopped afterwards.
    static func run<T: Sendable>(name: String, _ body: @Sendable () async throws -> T) async throws -> T {
        let executor = ThreadExecutor(name: name)
        defer { executor.stop() }
        return try await withTaskExecutorPreference(executor) { try await body() }
    }
}
