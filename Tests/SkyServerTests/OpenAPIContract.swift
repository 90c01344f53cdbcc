import Foundation
import SkyCore
import Yams

/// api/openapi.yaml as a checker: finds the operation for a request and validates a response against the
/// status codes, media types and schemas it declares. Implements the JSON Schema keywords the document
/// uses (and fails on any other, so the checker cannot silently skip part of the contract).
struct OpenAPIContract: Sendable {
    /// The document, parsed once.
    nonisolated(unsafe) let document: [String: Any]
    let text: String

    static let shared = try! OpenAPIContract()

    init() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("api/openapi.yaml")
        text = try String(contentsOf: url, encoding: .utf8)
        document = try Yams.load(yaml: text) as! [String: Any]
    }

    var paths: [String: Any] { document["paths"] as! [String: Any] }

    /// Every (method, path template) the document declares.
    var operations: [(method: String, path: String)] {
        paths.flatMap { path, item in
            (item as! [String: Any]).keys.filter { ["get", "post", "put", "patch", "delete"].contains($0) }.map { ($0.uppercased(), path) }
        }.sorted { ($0.path, $0.method) < ($1.path, $1.method) }
    }

    /// The path template matching a concrete path (`/v1/jobs/12` → `/v1/jobs/{id}`), literal segments first.
    func template(for path: String) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        let candidates = paths.keys.filter { template in
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == segments.count && zip(parts, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
        return candidates.min { $0.filter { $0 == "{" }.count < $1.filter { $0 == "{" }.count }
    }

    /// Problems with a response to `method path`; empty when it conforms.
    func check(method: String, path: String, status: Int, contentType: String?, body: Data) -> [String] {
        guard let template = template(for: path) else { return ["\(method) \(path): no such path in api/openapi.yaml"] }
        guard let operation = (paths[template] as? [String: Any])?[method.lowercased()] as? [String: Any] else {
            return ["\(method) \(template): no such operation in api/openapi.yaml"]
        }
        let responses = operation["responses"] as! [String: Any]
        guard var response = responses[String(status)] as? [String: Any] else {
            return ["\(method) \(template): status \(status) is not declared (declared: \(responses.keys.sorted()))"]
        }
        if let ref = response["$ref"] as? String { response = resolve(ref) }
        guard let content = response["content"] as? [String: Any] else {
            return body.isEmpty ? [] : ["\(method) \(template) \(status): declares no body but got \(body.count) bytes"]
        }
        let mediaType = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard let media = content[mediaType] as? [String: Any] else {
            return ["\(method) \(template) \(status): content type '\(mediaType)' is not declared (declared: \(content.keys.sorted()))"]
        }
        // JSON Lines bodies are text to the contract; only single-document JSON types are validated.
        guard mediaType == "application/json" || mediaType.hasSuffix("+json"), let schema = media["schema"] else { return [] }
        guard let value = try? JSONValue.parse(body) else { return ["\(method) \(template) \(status): body is not JSON"] }
        return validate(value, against: schema, at: "").map { "\(method) \(template) \(status): \($0)" }
    }

    func resolve(_ ref: String) -> [String: Any] {
        precondition(ref.hasPrefix("#/"), "only local references are supported: \(ref)")
        var node: Any = document
        for part in ref.dropFirst(2).split(separator: "/") { node = (node as! [String: Any])[String(part)]! }
        return node as! [String: Any]
    }

    static let annotations: Set<String> = ["description", "summary", "default", "examples", "title", "format", "discriminator"]
    static let keywords: Set<String> = [
        "$ref", "type", "properties", "required", "additionalProperties", "items", "enum", "const", "oneOf", "anyOf",
        "allOf", "minimum", "maximum", "exclusiveMinimum", "minLength", "maxLength", "minItems", "maxItems", "pattern",
    ]

    /// JSON Schema (2020-12 subset) validation; each problem names the JSON pointer in the body.
    func validate(_ value: JSONValue, against rawSchema: Any, at pointer: String) -> [String] {
        guard var schema = rawSchema as? [String: Any] else { return [] }
        if let ref = schema["$ref"] as? String { schema = resolve(ref) }
        var problems: [String] = []
        for key in schema.keys where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            problems.append("\(pointer): the checker does not implement schema keyword '\(key)'")
        }
        if let types = schema["type"] {
            let allowed = (types as? [Any] ?? [types]).map { "\($0)" }
            if !allowed.contains(where: { Self.matches(value, type: $0) }) {
                return ["\(pointer): \(Self.describe(value)) is not of type \(allowed)"]
            }
        }
        if let values = schema["enum"] as? [Any], !values.contains(where: { Self.equal(value, $0) }) {
            problems.append("\(pointer): \(Self.describe(value)) is not one of \(values)")
        }
        if let constant = schema["const"], !Self.equal(value, constant) {
            problems.append("\(pointer): \(Self.describe(value)) is not \(constant)")
        }
        for sub in schema["allOf"] as? [Any] ?? [] { problems += validate(value, against: sub, at: pointer) }
        if let options = schema["anyOf"] as? [Any], !options.contains(where: { validate(value, against: $0, at: pointer).isEmpty }) {
            problems.append("\(pointer): matches none of anyOf")
        }
        if let options = schema["oneOf"] as? [Any] {
            let matching = options.filter { validate(value, against: $0, at: pointer).isEmpty }.count
            if matching != 1 { problems.append("\(pointer): matches \(matching) of oneOf, not exactly 1") }
        }
        switch value {
        case .object(let fields):
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where fields[name] == nil {
                problems.append("\(pointer)/\(name): required but missing")
            }
            for (name, field) in fields {
                if let property = properties[name] {
                    problems += validate(field, against: property, at: "\(pointer)/\(name)")
                } else if let additional = schema["additionalProperties"] {
                    if let allowed = additional as? Bool {
                        if !allowed { problems.append("\(pointer)/\(name): not allowed by the schema") }
                    } else {
                        problems += validate(field, against: additional, at: "\(pointer)/\(name)")
                    }
                }
            }
        case .array(let items):
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { problems += validate(item, against: itemSchema, at: "\(pointer)/\(index)") }
            }
            if let min = schema["minItems"] as? Int, items.count < min { problems.append("\(pointer): fewer than \(min) items") }
            if let max = schema["maxItems"] as? Int, items.count > max { problems.append("\(pointer): more than \(max) items") }
        case .number(let number):
            if let min = Self.double(schema["minimum"]), number < min { problems.append("\(pointer): \(number) < minimum \(min)") }
            if let max = Self.double(schema["maximum"]), number > max { problems.append("\(pointer): \(number) > maximum \(max)") }
            if let min = Self.double(schema["exclusiveMinimum"]), number <= min { problems.append("\(pointer): \(number) <= exclusive minimum \(min)") }
            if schema["type"].map({ "\($0)" })?.contains("integer") == true, number.rounded() != number, !Self.matches(value, type: "number") {
                problems.append("\(pointer): \(number) is not an integer")
            }
        case .string(let text):
            if let min = schema["minLength"] as? Int, text.count < min { problems.append("\(pointer): shorter than \(min)") }
            if let max = schema["maxLength"] as? Int, text.count > max { problems.append("\(pointer): longer than \(max)") }
            if let pattern = schema["pattern"] as? String, text.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(pointer): '\(text)' does not match \(pattern)")
            }
            if schema["format"] as? String == "date-time",
                (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) == nil {
                problems.append("\(pointer): '\(text)' is not an RFC 3339 date-time")
            }
        case .bool, .null:
            break
        }
        return problems
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (value, type) {
        case (.null, "null"), (.bool, "boolean"), (.string, "string"), (.array, "array"), (.object, "object"), (.number, "number"):
            true
        case (.number(let number), "integer"): number.rounded() == number
        default: false
        }
    }

    static func equal(_ value: JSONValue, _ other: Any) -> Bool {
        switch value {
        case .null: other is NSNull || "\(other)" == "<null>" || "\(other)" == "null"
        case .string(let text): (other as? String) == text
        case .bool(let flag): (other as? Bool) == flag
        case .number(let number): double(other) == number
        default: false
        }
    }

    static func double(_ any: Any?) -> Double? {
        switch any {
        case let value as Int: Double(value)
        case let value as Double: value
        default: nil
        }
    }

    static func describe(_ value: JSONValue) -> String {
        String(decoding: value.encoded(), as: UTF8.self).prefix(80).description
    }
}
