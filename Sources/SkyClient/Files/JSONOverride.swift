import Foundation
public import SkyCore

/// `--set key.path=value` edits of a spec: the path names object fields (and array indexes) to create or
/// replace; the value is JSON when it parses as JSON (`3`, `true`, `null`, `[1,2]`, `"quoted"`), else a string.
public struct JSONOverride: Sendable, Hashable {
    /// The path's segments.
    public var path: [String]
    public var value: JSONValue

    /// Parses `key.path=value`.
    public init(parsing text: String) throws {
        guard let equals = text.firstIndex(of: "=") else { throw SpecFileError("--set \(text): expected key.path=value") }
        let path = text[..<equals].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty, !path.contains(where: \.isEmpty) else { throw SpecFileError("--set \(text): empty key in the path") }
        self.path = path
        let raw = String(text[text.index(after: equals)...])
        self.value = (try? JSONValue.parse(Data(raw.utf8))) ?? .string(raw)
    }

    /// `document` with this override applied.
    public func applied(to document: JSONValue) throws -> JSONValue {
        try Self.set(value, at: path[...], in: document, pointer: "")
    }

    private static func set(_ value: JSONValue, at path: ArraySlice<String>, in node: JSONValue, pointer: String) throws -> JSONValue {
        guard let key = path.first else { return value }
        let here = pointer + "/" + key
        switch node {
        case .array(var items):
            guard let index = Int(key), items.indices.contains(index) || index == items.count else {
                throw SpecFileError("--set: \(pointer.isEmpty ? "the document" : pointer) is a list of \(items.count); '\(key)' is not an index in it")
            }
            let current = index < items.count ? items[index] : .null
            let updated = try set(value, at: path.dropFirst(), in: current, pointer: here)
            if index < items.count { items[index] = updated } else { items.append(updated) }
            return .array(items)
        case .object(var fields):
            fields[key] = try set(value, at: path.dropFirst(), in: fields[key] ?? .null, pointer: here)
            return .object(fields)
        case .null:
            return .object([key: try set(value, at: path.dropFirst(), in: .null, pointer: here)])
        default:
            throw SpecFileError("--set: \(pointer) is a value, not an object; cannot set '\(key)' in it")
        }
    }
}
