import Dispatch
import SkyStore
import Synchronization
import Testing

/// `DatabaseAvailability.withDeadline`, which every API request and every worker write runs under: it answers at the
/// deadline even when the work ignores cancellation, and it leaves nothing behind once the race is decided.
@Suite struct DatabaseDeadlineTests {
    /// Each call's timer ends with the call. A timer left until its deadline (as a sleeping Task was) kept every
    /// request's race alive for 10 s, and on Linux a cancelled Task.sleep is never freed: a five-minute soak grew
    /// skyd's memory by 1.4×.
    @Test func noTimerOutlivesItsCall() async throws {
        let before = DatabaseAvailability.pendingDeadlines
        for value in 0..<2000 {
            #expect(try await DatabaseAvailability.withDeadline(seconds: 3600) { value } == value)
        }
        await #expect(throws: Never.self) {
            _ = try? await DatabaseAvailability.withDeadline(seconds: 3600) { throw CancellationError() }
        }
        // Other suites' requests may be in flight meanwhile (the counter is process-wide); 2,001 left would be these.
        #expect(DatabaseAvailability.pendingDeadlines - before < 100, "\(DatabaseAvailability.pendingDeadlines - before) timers left")
    }

    @Test func theDeadlineAnswersWhenTheWorkIgnoresCancellation() async throws {
        let finished = Mutex(false)
        await #expect(throws: DatabaseDeadlineExceeded.self) {
            try await DatabaseAvailability.withDeadline(seconds: 0.2) {
                // Work that never checks for cancellation, like a query waiting on a reconnecting pool: 30 s of waiting
                // that no cancellation shortens (and no CPU, so a loaded host cannot delay the deadline behind it).
                await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                    DispatchQueue.global().asyncAfter(deadline: .now() + 30) { done.resume() }
                }
                finished.withLock { $0 = true }
                return 1
            }
        }
        #expect(!finished.withLock { $0 }, "the answer waited for the work")
    }
}
