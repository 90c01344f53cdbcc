import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus
import SkyCore
import SkyStore

extension SkyAPI {
    func addSystemRoutes(to router: Router<SkyRequestContext>) {
        router.get("/healthz") { _, _ in
            JSONBody.response(.object(["status": .string("ok"), "version": .string(SkyVersion.current)]))
        }
        router.get("/readyz") { _, _ in
            let current: Bool
            let version: Int
            do {
                (current, version) = try await database {
                    let applied = try await migrator.appliedVersions()
                    return (try await migrator.isCurrent(), applied.keys.max() ?? 0)
                }
            } catch {
                throw APIProblem.unavailable("the database cannot be reached: \(error)")
            }
            guard current else {
                throw APIProblem("migrations-pending", .serviceUnavailable, title: "Not ready",
                                 detail: "the database schema is at version \(version), not the one this server needs; run skyd migrate")
            }
            return JSONBody.response(.object(["status": .string("ready"), "schemaVersion": .number(Double(version))]))
        }
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml"],
                     body: .init(byteBuffer: ByteBuffer(string: EmbeddedOpenAPI.text)))
        }
        router.get("/metrics") { _, context in
            try context.require(.read)
            let (queues, latency, fleet) = try await database {
                (try await queue.queues(), try await queue.claimLatency(), try await queue.fleetSize())
            }
            var text = String(decoding: registry.emitToBuffer(), as: UTF8.self)
            text += Self.databaseMetrics(queues: queues, latency: latency, fleet: fleet)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    /// Gauges read from the database at scrape time, in the text exposition format.
    static func databaseMetrics(queues: [QueueSummary], latency: ClaimLatency, fleet: FleetSize) -> String {
        var lines = [
            "# HELP sky_jobs Jobs by queue and state.", "# TYPE sky_jobs gauge",
        ]
        for summary in queues {
            for state in JobState.allCases {
                lines.append("sky_jobs{queue=\"\(escape(summary.name))\",state=\"\(state.rawValue)\"} \(summary.counts[state] ?? 0)")
            }
        }
        lines += ["# HELP sky_queue_paused 1 when the queue is paused.", "# TYPE sky_queue_paused gauge"]
        lines += queues.map { "sky_queue_paused{queue=\"\(escape($0.name))\"} \($0.paused ? 1 : 0)" }
        lines += ["# HELP sky_queue_oldest_queued_seconds Age of the oldest claimable job.", "# TYPE sky_queue_oldest_queued_seconds gauge"]
        lines += queues.map { "sky_queue_oldest_queued_seconds{queue=\"\(escape($0.name))\"} \($0.oldestQueuedAge ?? 0)" }
        lines += [
            "# HELP sky_claim_latency_seconds Wait from claimable to claimed, over jobs started in the last 5 minutes.",
            "# TYPE sky_claim_latency_seconds summary",
        ]
        for (quantile, value) in [("0.5", latency.p50), ("0.9", latency.p90), ("0.99", latency.p99)] {
            lines.append("sky_claim_latency_seconds{quantile=\"\(quantile)\"} \(value.map { String($0) } ?? "NaN")")
        }
        lines.append("sky_claim_latency_seconds_count \(latency.count)")
        lines += [
            "# HELP sky_workers Live workers (heartbeat within a minute).", "# TYPE sky_workers gauge", "sky_workers \(fleet.workers)",
            "# HELP sky_worker_slots Slots of live workers.", "# TYPE sky_worker_slots gauge", "sky_worker_slots \(fleet.slots)",
            "# HELP sky_worker_slots_in_use Slots running jobs.", "# TYPE sky_worker_slots_in_use gauge",
            "sky_worker_slots_in_use \(fleet.slotsInUse)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    private static func escape(_ label: String) -> String {
        label.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
