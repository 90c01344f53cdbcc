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

extension JobInputs {
    /// Every `{"fromJob": "$N"}` batch reference in `spec` (N indexes an earlier job of the same batch),
    /// with the JSON pointer where it is, so a wrong index can be reported in place.
    public static func batchReferences(in spec: JSONValue) -> [(index: Int, pointer: String)] {
        var found: [(index: Int, pointer: String)] = []
        func walk(_ value: JSONValue, _ pointer: String) {
            switch value {
            case .object(let fields):
                if case .string(let text)? = fields["fromJob"], text.hasPrefix("$"), let index = Int(text.dropFirst()) {
                    found.append((index, pointer + "/fromJob"))
                }
                for key in fields.keys.sorted() where key != "fromJob" { walk(fields[key]!, pointer + "/" + escape(key)) }
            case .array(let items):
                for (offset, item) in items.enumerated() { walk(item, pointer + "/\(offset)") }
            case .null, .bool, .number, .string:
                break
            }
        }
        walk(spec, "")
        return found
    }

    /// `spec` with each `{"fromJob": "$N"}` replaced by `{"fromJob": ids(N)}`; unresolvable ones stay.
    public static func resolvingBatchReferences(in spec: JSONValue, _ ids: (Int) -> Int64?) -> JSONValue {
        switch spec {
        case .object(var fields):
            if case .string(let text)? = fields["fromJob"], text.hasPrefix("$"), let index = Int(text.dropFirst()),
                let id = ids(index) {
                fields["fromJob"] = .number(Double(id))
            }
            for key in Array(fields.keys) where key != "fromJob" {
                fields[key] = resolvingBatchReferences(in: fields[key]!, ids)
            }
            return .object(fields)
        case .array(let items):
            return .array(items.map { resolvingBatchReferences(in: $0, ids) })
        case .null, .bool, .number, .string:
            return spec
        }
    }

    /// RFC 6901 escaping of one reference token.
    static func escape(_ key: String) -> String {
        var out = ""
        for character in key {
            switch character {
            case "~": out += "~0"
            case "/": out += "~1"
            default: out.append(character)
            }
        }
        return out
    }
}
