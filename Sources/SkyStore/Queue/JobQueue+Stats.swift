import Logging
import PostgresNIO

/// How long claimable jobs waited to be claimed, over a recent window.
public struct ClaimLatency: Sendable, Hashable {
    /// Claims in the window.
    public var count: Int
    /// Quantiles in seconds (nil with no claims).
    public var p50: Double?
    public var p90: Double?
    public var p99: Double?
}

/// Live workers and their slots.
public struct FleetSize: Sendable, Hashable {
    public var workers: Int
    public var slots: Int
    public var slotsInUse: Int
}

extension JobQueue {
    /// Wait from a job becoming claimable (`run_after`) to its latest start, over jobs started in the last
    /// `seconds`. A retried job counts from the end of its backoff, so backoffs do not read as queue delay.
    public func claimLatency(windowSeconds seconds: Double = 300) async throws -> ClaimLatency {
        let rows = try await client.query(
            """
            SELECT count(*)::int,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY w), percentile_cont(0.9) WITHIN GROUP (ORDER BY w),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY w)
            FROM (SELECT GREATEST(0, EXTRACT(EPOCH FROM started_at - run_after))::float8 AS w FROM jobs
                  WHERE started_at > now() - make_interval(secs => \(seconds))) recent
            """,
            logger: logger)
        for try await (count, p50, p90, p99) in rows.decode((Int, Double?, Double?, Double?).self) {
            return ClaimLatency(count: count, p50: p50, p90: p90, p99: p99)
        }
        return ClaimLatency(count: 0)
    }

    /// Workers that are not stopped and heartbeated within `aliveSeconds`, with their slots.
    public func fleetSize(aliveSeconds: Double = 60) async throws -> FleetSize {
        let rows = try await client.query(
            """
            SELECT count(*)::int, COALESCE(sum(slots), 0)::int, COALESCE(sum(slots_in_use), 0)::int FROM workers
            WHERE stopped_at IS NULL AND heartbeat_at > now() - make_interval(secs => \(aliveSeconds))
            """,
            logger: logger)
        for try await (workers, slots, used) in rows.decode((Int, Int, Int).self) {
            return FleetSize(workers: workers, slots: slots, slotsInUse: used)
        }
        return FleetSize(workers: 0, slots: 0, slotsInUse: 0)
    }
}
