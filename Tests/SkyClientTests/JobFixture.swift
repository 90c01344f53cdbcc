import Foundation
import SkyClient
import SkyCore

/// A job as the server would send it, built through the same decoder the client uses.
func makeJob(
    id: Int64, kind: String = "sleep", state: String, name: String? = nil, experiment: String? = nil,
    createdSecondsAgo: Double = 180, totalSeconds: Double = 180, runSeconds: Double? = nil, progress: Double? = nil,
    attemptsUsed: Int = 1, maxAttempts: Int = 3, requirements: JSONValue = .object(["labels": .array([])]),
    workerId: String? = nil, error: String? = nil, cancelRequested: Bool = false, waitingReason: String? = nil, now: Date
) throws -> Job {
    let created = now.addingTimeInterval(-createdSecondsAgo).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    let fields: [String: JSONValue] = [
        "id": .number(Double(id)), "kind": .string(kind), "name": name.map(JSONValue.string) ?? .null, "queue": .string("default"),
        "state": .string(state), "priority": .number(0), "spec": .object([:]), "requirements": requirements,
        "attempt": .number(Double(attemptsUsed)), "attemptsUsed": .number(Double(attemptsUsed)), "maxAttempts": .number(Double(maxAttempts)),
        "workerId": workerId.map(JSONValue.string) ?? .null, "cancelRequested": .bool(cancelRequested),
        "experiment": experiment.map(JSONValue.string) ?? .null, "tags": .array([]),
        "progress": progress.map(JSONValue.number) ?? .null, "error": error.map(JSONValue.string) ?? .null,
        "dependsOn": .array([]), "createdAt": .string(created), "runAfter": .string(created),
        "startedAt": runSeconds == nil ? .null : .string(created),
        "timings": .object(["totalSeconds": .number(totalSeconds), "runSeconds": runSeconds.map(JSONValue.number) ?? .null]),
        "waitingReason": waitingReason.map(JSONValue.string) ?? .null,
    ]
    return try APIJSON.decode(Job.self, from: JSONValue.object(fields).encoded())
}
