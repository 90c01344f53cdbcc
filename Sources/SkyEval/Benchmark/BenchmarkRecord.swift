import Foundation
import SkyCore

/// One parsed JSONL record with its line number, so every field read can fail with line, field and cause.
struct BenchmarkRecord {
    let fields: [String: JSONValue]
    let line: Int

    init(json: Data, line: Int) throws(BenchmarkError) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(json)
        } catch {
            throw BenchmarkError(line: line, message: "not valid JSON (\(Self.describe(error)))")
        }
        guard case .object(let fields) = value else { throw BenchmarkError(line: line, message: "not a JSON object") }
        self.fields = fields
        self.line = line
    }

    func error(_ field: String?, _ message: String) -> BenchmarkError {
        BenchmarkError(line: line, field: field, message: message)
    }

    /// A field that must be a non-empty string.
    func string(_ field: String) throws(BenchmarkError) -> String {
        guard let value = fields[field], value != .null else { throw error(field, "missing") }
        guard case .string(let text) = value else { throw error(field, "expected a string, found \(Self.kind(of: value))") }
        guard !text.trimmingASCIIWhitespace().isEmpty else { throw error(field, "empty") }
        return text
    }

    /// A field that may be absent or null; a present one must be a string.
    func optionalString(_ field: String) throws(BenchmarkError) -> String? {
        guard let value = fields[field], value != .null else { return nil }
        guard case .string(let text) = value else { throw error(field, "expected a string, found \(Self.kind(of: value))") }
        return text.isEmpty ? nil : text
    }

    /// A string or a number, as text: whole numbers lose their fraction (AMC's 27.0 becomes "27").
    func text(_ field: String) throws(BenchmarkError) -> String {
        guard let value = try optionalText(field) else { throw error(field, "missing") }
        return value
    }

    func optionalText(_ field: String) throws(BenchmarkError) -> String? {
        switch fields[field] {
        case nil, .null?: return nil
        case .string(let text)?:
            guard !text.trimmingASCIIWhitespace().isEmpty else { throw error(field, "empty") }
            return text
        case .number(let number)?: return Self.numberText(number)
        case let value?: throw error(field, "expected a string or number, found \(Self.kind(of: value))")
        }
    }

    static func numberText(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return underlying ?? context.debugDescription
        }
        return "\(error)"
    }
}
