import Synchronization

/// A one-consumer wake-up: `signal()` from anywhere, `wait(timeout:)` returns on the first signal or the
/// timeout. A signal sent while nobody waits is kept, so none is lost between checking and waiting.
final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Wakes the waiter, or the next call to `wait`.
    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending = true
            return nil
        }
        waiter?.resume()
    }

    /// Returns true when signalled, false when `timeout` passed or the task was cancelled first.
    @discardableResult
    func wait(timeout: Duration) async -> Bool {
        let alreadySignalled = state.withLock { state in
            defer { state.pending = false }
            return state.pending
        }
        if alreadySignalled { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.park() }
            group.addTask {
                // Cancellation here means the signal came first; either way this child reports no signal.
                try? await Task.sleep(for: timeout)
                return false
            }
            let signalled = await group.next() ?? false
            group.cancelAll()
            return signalled
        }
    }

    /// Parks until signalled (true) or cancelled (false).
    private func park() async -> Bool {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending {
                        state.pending = false
                        return true
                    }
                    if Task.isCancelled { return true }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
            return !Task.isCancelled
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }
}
