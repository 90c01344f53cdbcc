import Foundation
import Synchronization

/// Runs blocking work on a thread of its own, so minutes of BLAS never hold one of the few threads of Swift's
/// cooperative pool (which the worker's heartbeats and telemetry flushes need).
enum OwnThread {
    /// The result of `body`, run on a new thread with a large stack.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.stackSize = 16 << 20
            thread.start()
        }
    }
}

/// A flag another thread (a cancellation handler, a signal handler) sets and the training thread reads between steps.
public final class StopFlag: Sendable {
    private let raised = Mutex(false)

    /// A flag not yet raised.
    public init() {}

    /// Asks the training thread to stop at its next step.
    public func raise() { raised.withLock { $0 = true } }

    /// Whether a stop was asked for.
    public var isRaised: Bool { raised.withLock { $0 } }
}
