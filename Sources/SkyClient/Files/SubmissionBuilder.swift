public import SkyCore

/// Builds what `skyctl submit` posts from a file and command-line options.
public struct SubmissionBuilder: Sendable {
    public var name: String?
    public var experiment: String?
    public var queue: String?
    public var priority: Int?
    public var maxAttempts: Int?
    public var tags: [String] = []
    public var dependsOn: [Int64] = []
    public var overrides: [JSONOverride] = []

    /// One request body: a single job (POST /v1/jobs) or a batch (POST /v1/jobs/batch).
    public enum Body: Sendable, Hashable {
        case single(JSONValue)
        case batch(JSONValue)
    }

    /// A builder with no options.
    public init() {}

    /// The body for `document`: with `kind` it is that kind's spec; without, a submission (`kind:` and
    /// `spec:`) or an experiment file (`jobs:`).
    public func body(kind: JobKind?, document: JSONValue) throws -> Body {
        if let kind { return .single(try single(["kind": .string(kind.rawValue), "spec": document])) }
        if ExperimentFile.isExperiment(document) {
            guard name == nil, dependsOn.isEmpty, overrides.isEmpty else {
                throw SpecFileError("--name, --depends-on and --set apply to one job; for an experiment file, edit the file", isUsage: true)
            }
            guard case .object(var top) = document else { return .batch(try ExperimentFile.batch(from: document)) }
            if let experiment { top["experiment"] = .string(experiment) }
            if let queue { top["queue"] = .string(queue) }
            if let priority { top["priority"] = .number(Double(priority)) }
            if let maxAttempts { top["maxAttempts"] = .number(Double(maxAttempts)) }
            if !tags.isEmpty { top["tags"] = .array(tags.map(JSONValue.string)) }
            return .batch(try ExperimentFile.batch(from: .object(top)))
        }
        guard case .object(let envelope) = document, envelope["kind"] != nil else {
            throw SpecFileError("name the job kind (skyctl submit KIND -f spec.yaml), or give a file with 'kind:' and 'spec:', or 'jobs:'", isUsage: true)
        }
        return .single(try single(envelope))
    }

    private func single(_ envelope: [String: JSONValue]) throws -> JSONValue {
        var fields = envelope
        if let name { fields["name"] = .string(name) }
        if let experiment { fields["experiment"] = .string(experiment) }
        if let queue { fields["queue"] = .string(queue) }
        if let priority { fields["priority"] = .number(Double(priority)) }
        if let maxAttempts { fields["maxAttempts"] = .number(Double(maxAttempts)) }
        if !tags.isEmpty { fields["tags"] = Self.appending(tags.map(JSONValue.string), to: fields["tags"]) }
        if !dependsOn.isEmpty { fields["dependsOn"] = Self.appending(dependsOn.map { .number(Double($0)) }, to: fields["dependsOn"]) }
        var spec = fields["spec"] ?? .object([:])
        for override in overrides { spec = try override.applied(to: spec) }
        fields["spec"] = spec
        return .object(fields)
    }

    /// The file's list with the command line's items after it.
    private static func appending(_ values: [JSONValue], to existing: JSONValue?) -> JSONValue {
        if case .array(let items)? = existing { return .array(items + values) }
        return .array(values)
    }
}
