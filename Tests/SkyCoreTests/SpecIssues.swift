import Foundation
import SkyCore

/// The issues `JobSpecs` finds in `json` as a spec of `kind`; empty when it is accepted.
func specIssues(_ kind: JobKind, _ json: String) -> [SpecIssue] {
    do {
        _ = try JobSpecs.validate(kind: kind, spec: Data(json.utf8))
        return []
    } catch {
        return error.issues
    }
}
