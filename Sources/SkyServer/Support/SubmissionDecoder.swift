import Foundation
import SkyCore
import SkyStore

/// Reads the JSON envelope of a job submission into a `JobSubmission`, collecting every problem with its
/// JSON pointer (type errors, unknown fields, unknown kind) so the client fixes them all in one round.
/// The spec itself is validated later by SkyCore, the same code workers decode it with.
struct SubmissionDecoder {
    static let envelopeFields: Set<String> = [
        "kind", "spec", "name", "queue", "priority", "maxAttempts", "requirements", "dependsOn", "idempotencyKey",
        "experiment", "tags", "runAfter",
    ]

    /// One decoded submission; `dependsOnIndex` and `$N` references are for batches only.
    struct Item {
        var submission: JobSubmission
        var dependsOnIndex: [Int]
    }

    var issues: [SpecIssue] = []

    /// Decodes `value` (at `pointer` in the body); nil when it has problems, which are in `issues`.
    mutating func decode(_ value: JSONValue, at pointer: String, batch: Bool) -> Item? {
        guard case .object(let fields) = value else {
            issues.append(SpecIssue(pointer, "must be an object"))
            return nil
        }
        let before = issues.count
        for key in fields.keys.sorted() where !Self.envelopeFields.contains(key) && !(batch && key == "dependsOnIndex") {
            issues.append(SpecIssue("\(pointer)/\(key)", "unknown field; expected one of \(Self.envelopeFields.sorted())"))
        }
        var kind: JobKind?
        switch fields["kind"] {
        case .string(let raw)?:
            kind = JobKind(rawValue: raw)
            if kind == nil {
                issues.append(SpecIssue("\(pointer)/kind", "unknown kind '\(raw)'; expected one of \(JobKind.allCases.map(\.rawValue))"))
            }
        case nil: issues.append(SpecIssue("\(pointer)/kind", "is required"))
        default: issues.append(SpecIssue("\(pointer)/kind", "must be a string"))
        }
        let spec = fields["spec"] ?? .null
        if case .object = spec {} else { issues.append(SpecIssue("\(pointer)/spec", fields["spec"] == nil ? "is required" : "must be an object")) }
        let name = string(fields["name"], at: "\(pointer)/name")
        let queue = string(fields["queue"], at: "\(pointer)/queue") ?? "default"
        let priority = integer(fields["priority"], at: "\(pointer)/priority") ?? 0
        let maxAttempts = integer(fields["maxAttempts"], at: "\(pointer)/maxAttempts") ?? 3
        let dependsOn = integers(fields["dependsOn"], at: "\(pointer)/dependsOn") ?? []
        let dependsOnIndex = integers(fields["dependsOnIndex"], at: "\(pointer)/dependsOnIndex") ?? []
        let key = string(fields["idempotencyKey"], at: "\(pointer)/idempotencyKey")
        let experiment = string(fields["experiment"], at: "\(pointer)/experiment")
        let tags = strings(fields["tags"], at: "\(pointer)/tags") ?? []
        var runAfter: Date?
        if let raw = string(fields["runAfter"], at: "\(pointer)/runAfter") {
            runAfter = QueryParameters.parseTime(raw)
            if runAfter == nil { issues.append(SpecIssue("\(pointer)/runAfter", "must be an RFC 3339 time")) }
        }
        var requirements = JobRequirements()
        if let raw = fields["requirements"], raw != .null {
            do {
                requirements = try JSONDecoder().decode(JobRequirements.self, from: raw.encoded())
            } catch {
                issues.append(SpecIssue("\(pointer)/requirements", "must be an object with backend (string), minMemoryMB (integer) and labels (strings)"))
            }
        }
        guard issues.count == before, let kind else { return nil }
        let submission = JobSubmission(
            kind: kind, spec: spec, queue: queue, priority: Int(priority), maxAttempts: Int(maxAttempts),
            requirements: requirements, dependsOn: dependsOn, idempotencyKey: key, experiment: experiment, tags: tags,
            runAfter: runAfter, name: name)
        return Item(submission: submission, dependsOnIndex: dependsOnIndex.map { Int($0) })
    }

    private mutating func string(_ value: JSONValue?, at pointer: String) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default:
            issues.append(SpecIssue(pointer, "must be a string"))
            return nil
        }
    }

    private mutating func integer(_ value: JSONValue?, at pointer: String) -> Int64? {
        switch value {
        case nil, .null?: return nil
        case .number(let number)? where number.rounded() == number && abs(number) < 9.0e15: return Int64(number)
        default:
            issues.append(SpecIssue(pointer, "must be an integer"))
            return nil
        }
    }

    private mutating func integers(_ value: JSONValue?, at pointer: String) -> [Int64]? {
        switch value {
        case nil, .null?: return nil
        case .array(let items)?:
            var out: [Int64] = []
            for (index, item) in items.enumerated() {
                if let number = integer(item, at: "\(pointer)/\(index)") { out.append(number) }
            }
            return out
        default:
            issues.append(SpecIssue(pointer, "must be an array of integers"))
            return nil
        }
    }

    private mutating func strings(_ value: JSONValue?, at pointer: String) -> [String]? {
        switch value {
        case nil, .null?: return nil
        case .array(let items)?:
            var out: [String] = []
            for (index, item) in items.enumerated() {
                if let text = string(item, at: "\(pointer)/\(index)") { out.append(text) }
            }
            return out
        default:
            issues.append(SpecIssue(pointer, "must be an array of strings"))
            return nil
        }
    }
}
