import Foundation

extension JSONValue {
    /// The JSON pointer of the first object key or string (in document order, keys sorted) for which `test` holds;
    /// a key that fails points at its member, a string at itself. Nil when none does.
    public func firstPointer(where test: (String) -> Bool) -> String? {
        func escaped(_ token: String) -> String {
            token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        }
        switch self {
        case .string(let text): return test(text) ? "" : nil
        case .array(let items):
            for (index, item) in items.enumerated() {
                if let inner = item.firstPointer(where: test) { return "/\(index)" + inner }
            }
            return nil
        case .object(let fields):
            for key in fields.keys.sorted() {
                if test(key) { return "/" + escaped(key) }
                if let inner = fields[key]!.firstPointer(where: test) { return "/" + escaped(key) + inner }
            }
            return nil
        case .null, .bool, .number: return nil
        }
    }
}
