public import Foundation
import NIOCore
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
                Task {
                    try? await Task.sleep(for: .seconds(seconds))
                    if gate.resume(.failure(DatabaseDeadlineExceeded(seconds: seconds))) { work.cancel() }
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

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    func onCancel(_ action: @escaping @Sendable () -> Void) {
        lock.withLock { cancelWork = action }
    }

    /// Resumes the continuation unless another racer did; true when this call did.
    @discardableResult
    func resume(_ result: Result<T, any Error>) -> Bool {
        let continuation: CheckedContinuation<T, any Error>? = lock.withLock {
            guard !done, let continuation = self.continuation else { return nil }
            done = true
            self.continuation = nil
            return continuation
        }
        continuation?.resume(with: result)
        return continuation != nil
    }

    /// The caller was cancelled: stop the work and answer with cancellation.
    func cancel() {
        let action = lock.withLock { cancelWork }
        action?()
        resume(.failure(CancellationError()))
    }
}
