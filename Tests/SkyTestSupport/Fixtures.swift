public import Foundation
public import SkyCore
public import SkyStore

extension WorkerIdentity {
    /// A CPU worker serving `queues` for sleep jobs, for tests.
    public static func test(_ id: String = "test-worker", queues: [String] = ["default"], kinds: [JobKind] = [.sleep],
                            capabilities: WorkerCapabilities = WorkerCapabilities(backend: "blas", memoryMB: 1024)) -> WorkerIdentity {
        WorkerIdentity(id: id, queues: queues, kinds: kinds, capabilities: capabilities)
    }
}

extension JobSubmission {
    /// A sleep job with the given options, for tests.
    public static func sleep(
        _ seconds: Double = 0, queue: String = "default", priority: Int = 0, maxAttempts: Int = 3,
        dependsOn: [Int64] = [], key: String? = nil, experiment: String? = nil,
        requirements: JobRequirements = JobRequirements(), extra: [String: JSONValue] = [:]
    ) -> JobSubmission {
        var spec: [String: JSONValue] = ["durationSeconds": .number(seconds)]
        spec.merge(extra) { _, new in new }
        return JobSubmission(
            kind: .sleep, spec: .object(spec), queue: queue, priority: priority, maxAttempts: maxAttempts,
            requirements: requirements, dependsOn: dependsOn, idempotencyKey: key, experiment: experiment)
    }
}

/// A small Sky-T1 dataset: each record has a four-step thought and a boxed solution.
public func skyT1Records(_ count: Int) -> Data {
    var lines: [String] = []
    for index in 0..<count {
        let steps = (1...4).map { "Step \($0) of problem \(index): compute \(index + $0) + \($0)." }.joined(separator: "\\n\\n")
        let answer = "<|begin_of_thought|>\\n\\n\(steps)\\n\\n<|end_of_thought|>\\n\\n<|begin_of_solution|>\\n\\nThe answer is \\\\boxed{\(index)}\\n\\n<|end_of_solution|>"
        lines.append(#"{"system": "Think first.", "conversations": [{"from": "user", "value": "Problem \#(index)?"}, {"from": "assistant", "value": "\#(answer)"}]}"#)
    }
    return Data((lines.joined(separator: "\n") + "\n").utf8)
}
