public import Foundation
public import SkyCore
import Yams

/// Reads job specs and experiment files: YAML (of which JSON is a subset) into `JSONValue`.
public enum SpecDocument {
    /// The document in `text`; scalars keep YAML's types (`1` a number, `"1"` a string, `true` a bool).
    public static func parse(_ text: String) throws -> JSONValue {
        guard let node = try Yams.compose(yaml: text) else { return .null }
        return try value(of: node)
    }

    /// The document in the file at `url`.
    public static func load(_ url: URL) throws -> JSONValue {
        let data = try Data(contentsOf: url)
        do {
            return try parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw SpecFileError("\(url.path): \(error)")
        }
    }

    private static func value(of node: Node) throws -> JSONValue {
        switch node {
        case .scalar(let scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .null
            case .bool: return node.bool.map(JSONValue.bool) ?? .string(scalar.string)
            case .int: return node.int.map { .number(Double($0)) } ?? .string(scalar.string)
            case .float: return node.float.map(JSONValue.number) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .sequence(let sequence):
            return .array(try sequence.map(value(of:)))
        case .mapping(let mapping):
            var fields: [String: JSONValue] = [:]
            for (key, item) in mapping {
                guard let name = key.string else { throw SpecFileError("mapping keys must be strings, not \(key)") }
                fields[name] = try value(of: item)
            }
            return .object(fields)
        case .alias(let alias):
            throw SpecFileError("YAML aliases are not supported (\(alias.anchor))")
        }
    }
}

/// A spec or experiment file that cannot be used, with where and why.
public struct SpecFileError: Error, CustomStringConvertible, Sendable {
    public var description: String
    /// Whether the command line, rather than the file, is at fault (options that do not go together).
    public var isUsage: Bool

    /// Creates an error with its message.
    public init(_ description: String, isUsage: Bool = false) {
        self.description = description
        self.isUsage = isUsage
    }
}
