public import SkyCore

/// Turns an experiment file (`jobs:` with names) into the body of POST /v1/jobs/batch.
///
/// Each job may carry `id: NAME`; a later job names it in `after: NAME` (or a list), which becomes
/// `dependsOnIndex`, and in its spec as `{"fromJob": "NAME"}`, which becomes `{"fromJob": "$INDEX"}`.
/// A job's name defaults to its id. Top-level `experiment`, `queue`, `priority`, `maxAttempts`,
/// `requirements` and `tags` are defaults for every job.
public enum ExperimentFile {
    /// Top-level fields that are defaults for each job.
    static let defaultFields: Set<String> = ["experiment", "queue", "priority", "maxAttempts", "requirements", "tags"]

    /// Whether `document` is an experiment file rather than a single spec or submission.
    public static func isExperiment(_ document: JSONValue) -> Bool {
        if case .array? = document["jobs"] { return true }
        return false
    }

    /// The batch body for `document`; errors name the offending place as a JSON pointer.
    public static func batch(from document: JSONValue) throws -> JSONValue {
        guard case .object(let top) = document, case .array(let items)? = top["jobs"] else {
            throw SpecFileError("an experiment file is an object with a list under 'jobs'")
        }
        if let unknown = top.keys.filter({ $0 != "jobs" && !defaultFields.contains($0) }).sorted().first {
            throw SpecFileError("/\(unknown): unknown top-level field; expected jobs or one of \(defaultFields.sorted())")
        }
        guard !items.isEmpty else { throw SpecFileError("/jobs: the list is empty") }
        var indexByName: [String: Int] = [:]
        var jobs: [JSONValue] = []
        for (index, item) in items.enumerated() {
            let pointer = "/jobs/\(index)"
            guard case .object(var job) = item else { throw SpecFileError("\(pointer): each job is an object") }
            for field in defaultFields where job[field] == nil { job[field] = top[field] }
            var dependsOnIndex = try indexes(job["dependsOnIndex"], before: index, pointer: pointer + "/dependsOnIndex")
            if let after = job.removeValue(forKey: "after") {
                for name in try names(after, pointer: pointer + "/after") {
                    guard let dependency = indexByName[name] else {
                        throw SpecFileError("\(pointer)/after: '\(name)' is not the id of an earlier job")
                    }
                    if !dependsOnIndex.contains(dependency) { dependsOnIndex.append(dependency) }
                }
            }
            if !dependsOnIndex.isEmpty { job["dependsOnIndex"] = .array(dependsOnIndex.map { .number(Double($0)) }) }
            if let spec = job["spec"] { job["spec"] = try resolvingReferences(in: spec, names: indexByName, pointer: pointer + "/spec") }
            if let id = job.removeValue(forKey: "id") {
                guard case .string(let name) = id, !name.isEmpty else { throw SpecFileError("\(pointer)/id: must be a non-empty string") }
                guard indexByName[name] == nil else { throw SpecFileError("\(pointer)/id: '\(name)' is already the id of job \(indexByName[name]!)") }
                indexByName[name] = index
                if job["name"] == nil { job["name"] = .string(name) }
            }
            jobs.append(.object(job))
        }
        return .object(["jobs": .array(jobs)])
    }

    private static func names(_ value: JSONValue, pointer: String) throws -> [String] {
        switch value {
        case .string(let name): return [name]
        case .array(let items):
            return try items.enumerated().map { offset, item in
                guard case .string(let name) = item else { throw SpecFileError("\(pointer)/\(offset): must be a job id") }
                return name
            }
        default: throw SpecFileError("\(pointer): must be a job id or a list of them")
        }
    }

    private static func indexes(_ value: JSONValue?, before limit: Int, pointer: String) throws -> [Int] {
        guard let value else { return [] }
        guard case .array(let items) = value else { throw SpecFileError("\(pointer): must be a list of indexes") }
        return try items.enumerated().map { offset, item in
            guard case .number(let number) = item, let index = Int(exactly: number), (0..<limit).contains(index) else {
                throw SpecFileError("\(pointer)/\(offset): must be the index of an earlier job (0 to \(limit - 1))")
            }
            return index
        }
    }

    /// `{"fromJob": "NAME"}` anywhere in `value` becomes `{"fromJob": "$INDEX"}`; ids and `$N` stay.
    private static func resolvingReferences(in value: JSONValue, names: [String: Int], pointer: String) throws -> JSONValue {
        switch value {
        case .object(var fields):
            if case .string(let reference)? = fields["fromJob"], !reference.hasPrefix("$") {
                guard let index = names[reference] else {
                    throw SpecFileError("\(pointer)/fromJob: '\(reference)' is not the id of an earlier job")
                }
                fields["fromJob"] = .string("$\(index)")
            }
            for (key, item) in fields where key != "fromJob" {
                fields[key] = try resolvingReferences(in: item, names: names, pointer: pointer + "/" + key)
            }
            return .object(fields)
        case .array(let items):
            return .array(try items.enumerated().map { try resolvingReferences(in: $1, names: names, pointer: pointer + "/\($0)") })
        default:
            return value
        }
    }
}
