import Foundation

/// The content hash that makes resubmitting an experiment idempotent.
///
/// SHA-256 over the experiment, the kind and the canonical (sorted-key, defaults-filled) spec in which every
/// dependency is replaced by that dependency's own key, so any change upstream changes every key downstream
/// while names, tags and job ids never matter.
public enum ExperimentJobKey {
    /// The key of a job whose normalised `spec` names dependency `i` as `{"fromJob": placeholder(i)}`.
    public static func key(experiment: String, kind: JobKind, spec: JSONValue, dependencyKeys: [String],
                           placeholder: (Int) -> Int64) -> String {
        let byPlaceholder = Dictionary(uniqueKeysWithValues: dependencyKeys.indices.map { (placeholder($0), dependencyKeys[$0]) })
        let canonical = replacing(spec) { id in byPlaceholder[id].map { .string("key:" + $0) } }
        var hasher = SHA256Hasher()
        hasher.update(Array("sky-experiment-job/1\n\(experiment)\n\(kind.rawValue)\n".utf8))
        hasher.update(Array(canonical.encoded()))
        return hasher.finalizeHex()
    }

    /// `spec` with every numeric `fromJob` that `replacement` maps replaced.
    static func replacing(_ spec: JSONValue, _ replacement: (Int64) -> JSONValue?) -> JSONValue {
        switch spec {
        case .object(var fields):
            if case .number(let id)? = fields["fromJob"], let new = replacement(Int64(id)) { fields["fromJob"] = new }
            for key in Array(fields.keys) where key != "fromJob" { fields[key] = replacing(fields[key]!, replacement) }
            return .object(fields)
        case .array(let items):
            return .array(items.map { replacing($0, replacement) })
        case .null, .bool, .number, .string:
            return spec
        }
    }
}
