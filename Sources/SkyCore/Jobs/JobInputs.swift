/// Finds the jobs a spec consumes outputs of: every `{"fromJob": N}` object anywhere in it.
///
/// A job that names another job's output depends on it, so submitters need not list it twice.
public enum JobInputs {
    /// The ids named by `fromJob` references in `spec`, in first-seen order, without repeats.
    public static func referencedJobs(in spec: JSONValue) -> [Int64] {
        var found: [Int64] = []
        var seen = Set<Int64>()
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let fields):
                if case .number(let id)? = fields["fromJob"], id.rounded() == id, id > 0, seen.insert(Int64(id)).inserted {
                    found.append(Int64(id))
                }
                for key in fields.keys.sorted() { walk(fields[key]!) }
            case .array(let items):
                items.forEach(walk)
            case .null, .bool, .number, .string:
                break
            }
        }
        walk(spec)
        return found
    }
}
