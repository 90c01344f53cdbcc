import Foundation

extension JSONValue {
    /// `self` with `override` laid over it: objects merge key by key, recursively; anything else is replaced.
    public func merging(_ override: JSONValue) -> JSONValue {
        guard case .object(var base) = self, case .object(let top) = override else { return override }
        for (key, value) in top { base[key] = base[key].map { $0.merging(value) } ?? value }
        return .object(base)
    }

    /// The value at a JSON pointer (RFC 6901), or nil when nothing is there.
    public func value(at pointer: String) -> JSONValue? {
        guard !pointer.isEmpty else { return self }
        var current = self
        for raw in pointer.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            let token = raw.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
            switch current {
            case .object(let fields):
                guard let next = fields[token] else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }

    /// Pointers of the non-null values in `self` that `other` lacks (fields a decoder ignored).
    func pointersMissing(from other: JSONValue, at pointer: String = "") -> [String] {
        switch (self, other) {
        case (.object(let mine), .object(let theirs)):
            return mine.keys.sorted().flatMap { key -> [String] in
                let path = pointer + "/" + JobInputs.escape(key)
                guard let value = mine[key], value != .null else { return [] }
                guard let counterpart = theirs[key] else { return [path] }
                return value.pointersMissing(from: counterpart, at: path)
            }
        case (.array(let mine), .array(let theirs)) where mine.count == theirs.count:
            return zip(mine, theirs).enumerated().flatMap { $1.0.pointersMissing(from: $1.1, at: pointer + "/\($0)") }
        default:
            return []
        }
    }
}
