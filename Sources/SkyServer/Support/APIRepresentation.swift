import Foundation
import SkyCore
import SkyStore

/// The JSON shapes of api/openapi.yaml, built from SkyStore's records. One function per schema, so the
/// contract test that checks every response against the document checks these.
enum APIRepresentation {
    private static let timeStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// RFC 3339 UTC with milliseconds.
    static func time(_ date: Date) -> JSONValue { .string(date.formatted(timeStyle)) }
    static func time(_ date: Date?) -> JSONValue { date.map(time) ?? .null }
    static func string(_ value: String?) -> JSONValue { value.map(JSONValue.string) ?? .null }
    static func number(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }
    static func int(_ value: some BinaryInteger) -> JSONValue { .number(Double(value)) }

    static func requirements(_ requirements: JobRequirements) -> JSONValue {
        var fields: [String: JSONValue] = ["labels": .array(requirements.labels.map(JSONValue.string))]
        if let backend = requirements.backend { fields["backend"] = .string(backend) }
        if let memory = requirements.minMemoryMB { fields["minMemoryMB"] = int(memory) }
        return .object(fields)
    }

    static func counts(_ counts: [JobState: Int]) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: JobState.allCases.map { ($0.rawValue, int(counts[$0] ?? 0)) }))
    }

    /// A job; `waitingReason` says why no live worker can claim it while it is queued (`JobQueue.waitReasons`).
    static func job(_ job: JobRecord, now: Date = Date(), waitingReason: String? = nil) -> JSONValue {
        let end = job.finishedAt ?? now
        var timings: [String: JSONValue] = ["totalSeconds": .number(max(0, end.timeIntervalSince(job.createdAt)))]
        timings["runSeconds"] = job.startedAt.map { .number(max(0, end.timeIntervalSince($0))) } ?? .null
        return .object([
            "id": int(job.id), "kind": .string(job.kind.rawValue), "name": string(job.name), "queue": .string(job.queue),
            "state": .string(job.state.rawValue), "priority": int(job.priority), "spec": job.spec,
            "requirements": requirements(job.requirements), "attempt": int(job.attempt),
            "attemptsUsed": int(job.attemptsUsed), "maxAttempts": int(job.maxAttempts), "workerId": string(job.workerID),
            "leaseExpiresAt": time(job.leaseExpiresAt), "cancelRequested": .bool(job.cancelRequested),
            "idempotencyKey": string(job.idempotencyKey), "experiment": string(job.experiment),
            "tags": .array(job.tags.map(JSONValue.string)), "progress": number(job.progress),
            "progressMessage": string(job.progressMessage), "result": job.result ?? .null, "error": string(job.error),
            "dependsOn": .array(job.dependsOn.map { int($0) }), "createdAt": time(job.createdAt),
            "runAfter": time(job.runAfter), "startedAt": time(job.startedAt), "finishedAt": time(job.finishedAt),
            "timings": .object(timings), "waitingReason": string(waitingReason),
        ])
    }

    static func event(_ event: JobEvent) -> JSONValue {
        .object([
            "attempt": int(event.attempt), "from": string(event.from?.rawValue), "to": .string(event.to.rawValue),
            "at": time(event.at), "workerId": string(event.workerID), "reason": string(event.reason),
        ])
    }

    static func logLine(id: Int64, _ line: JobLogLine) -> JSONValue {
        .object([
            "id": .string(String(id)), "attempt": int(line.token.attempt), "at": time(line.at),
            "level": .string(line.level), "message": .string(line.message),
        ])
    }

    static func metricPoint(_ point: JobMetricPoint) -> JSONValue {
        .object([
            "key": .string(point.key), "attempt": int(point.token.attempt), "step": int(point.step),
            "value": .number(point.value), "at": time(point.at),
        ])
    }

    static func worker(_ worker: WorkerRecord, now: Date = Date()) -> JSONValue {
        let alive = worker.stoppedAt == nil && now.timeIntervalSince(worker.heartbeatAt) < 60
        return .object([
            "id": .string(worker.id), "host": .string(worker.host), "pid": int(worker.pid), "version": .string(worker.version),
            "backend": .string(worker.backend), "memoryMB": int(worker.memoryMB),
            "labels": .array(worker.labels.map(JSONValue.string)), "queues": .array(worker.queues.map(JSONValue.string)),
            "kinds": .array(worker.kinds.map(JSONValue.string)), "slots": int(worker.slots),
            "slotsInUse": int(worker.slotsInUse), "runningJobs": .array(worker.runningJobs.map { int($0) }),
            "startedAt": time(worker.startedAt), "heartbeatAt": time(worker.heartbeatAt), "stoppedAt": time(worker.stoppedAt),
            "alive": .bool(alive),
        ])
    }

    static func queue(_ queue: QueueSummary) -> JSONValue {
        .object([
            "name": .string(queue.name), "counts": counts(queue.counts),
            "oldestQueuedAgeSeconds": number(queue.oldestQueuedAge), "paused": .bool(queue.paused),
        ])
    }

    static func artifact(_ artifact: ArtifactRecord) -> JSONValue {
        .object([
            "id": int(artifact.id), "kind": .string(artifact.kind.rawValue), "name": .string(artifact.name),
            "mediaType": .string(artifact.mediaType), "sizeBytes": int(artifact.sizeBytes), "sha256": .string(artifact.sha256),
            "metadata": artifact.metadata,
            "producedBy": artifact.producedBy.map { .object(["jobId": int($0.id), "attempt": int($0.attempt)]) } ?? .null,
            "createdAt": time(artifact.createdAt),
        ])
    }

    static func experiment(_ summary: ExperimentSummary) -> JSONValue {
        .object([
            "name": .string(summary.name), "counts": counts(summary.counts), "total": int(summary.total),
            "createdAt": time(summary.createdAt), "updatedAt": time(summary.updatedAt),
        ])
    }
}
