public import Foundation
import NIOCore
import NIOPosix
import Synchronization
import PostgresNIO
import _ConnectionPoolModule

/// Which errors mean "the database cannot be reached right now" (retry later, a 503) rather than a fault in the
/// request or the server: decided here, beside the PostgreSQL client, so the API need not inspect its error types.
public enum DatabaseAvailability {
    /// Whether `error` says the database is down, restarting, refusing connections, or out of resources.
    public static func isUnavailable(_ error: any Error) -> Bool {
        if let error = error as? PSQLError {
            if let state = error.serverInfo?[.sqlState] {
                // 08: connection exception; 53: insufficient resources; 57: operator intervention (shutdown,
                // restart, cannot connect now).
                return state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57")
            }
            return true
        }
        if let error = error as? PostgresTransactionError {
            return error.closureError.map(isUnavailable) ?? true
        }
        // The pool refuses at once, without trying, once connections have failed for a while (its circuit breaker);
        // it keeps reconnecting in the background and closes the breaker when one succeeds.
        if error is ConnectionPoolError { return true }
        return error is ChannelError || error is IOError
    }

    private static let pending = Mutex(0)

    /// Deadlines whose race is not decided yet: each call's timer is gone once it returns.
    public static var pendingDeadlines: Int { pending.withLock { $0 } }

    /// `body`'s result, or `DatabaseDeadlineExceeded` once `seconds` pass, whichever comes first. Unlike a task group,
    /// this returns at the deadline even when `body` ignores cancellation (a query waiting on a pool that is
    /// reconnecting), so a request never hangs past it; `body` is cancelled and left to finish on its own.
    public static func withDeadline<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let gate = ResumeOnce<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                gate.set(continuation)
                let work = Task {
                    do { gate.resume(.success(try await body())) } catch { gate.resume(.failure(error)) }
                }
                gate.onCancel { work.cancel() }
                // An event-loop timer, cancelled when the race ends. (A Task sleeping on the deadline kept the gate, the
                // work and its result alive for the whole deadline, and on Linux a cancelled Task.sleep is never
                // freed: skyd grew by hundreds of MB under a few minutes of traffic.)
                let timer = MultiThreadedEventLoopGroup.singleton.next().scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) {
                    if gate.resume(.failure(DatabaseDeadlineExceeded(seconds: seconds))) { work.cancel() }
                }
                pending.withLock { $0 += 1 }
                gate.onFinish {
                    timer.cancel()
                    pending.withLock { $0 -= 1 }
                }
            }
        } onCancel: {
            gate.cancel()
        }
    }
}

/// The database did not answer within the request's deadline.
public struct DatabaseDeadlineExceeded: Error, CustomStringConvertible, Sendable {
    public var seconds: Double
    public var description: String { "the database did not answer within \(seconds) s" }
}

/// A continuation resumed by whichever of several racers comes first.
final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var done = false
    private var cancelWork: (@Sendable () -> Void)?
    private var finished: (@Sendable () -> Void)?

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    func onCancel(_ action: @escaping @Sendable () -> Void) {
        lock.withLock { cancelWork = done ? nil : action }
    }

    /// Runs `action` once the race is decided (at once if it already is).
    func onFinish(_ action: @escaping @Sendable () -> Void) {
        let now: Bool = lock.withLock {
            if done { return true }
            finished = action
            return false
        }
        if now { action() }
    }

    /// Resumes the continuation unless another racer did; true when this call did.
    @discardableResult
    func resume(_ result: Result<T, any Error>) -> Bool {
        let (continuation, finish): (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) = lock.withLock {
            guard !done, let continuation = self.continuation else { return (nil, nil) }
            done = true
            self.continuation = nil
            // Nothing is left to cancel or wait for: let go of the racers now.
            cancelWork = nil
            defer { finished = nil }
            return (continuation, finished)
        }
        continuation?.resume(with: result)
        finish?()
        return continuation != nil
    }

    /// The caller was cancelled: stop the work and answer with cancellation.
    func cancel() {
        let action = lock.withLock { cancelWork }
        action?()
        resume(.failure(CancellationError()))
    }
}
