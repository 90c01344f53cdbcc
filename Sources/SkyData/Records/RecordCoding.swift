public import Foundation
public import SkyCore

/// Turns one record's JSON into a `DatasetRecord` and back, in any of the three formats.
public enum RecordCoding {
    /// Decodes one JSON object. `format` nil detects it from the keys. Errors carry the field, not the position.
    public static func decode(_ data: Data, format: DatasetFormat?) throws(DatasetError) -> DatasetRecord {
        let value: JSONValue
        do {
            value = try JSONValue.parse(data)
        } catch {
            throw DatasetError(message: "not valid JSON (\(Self.describe(error)))")
        }
        return try decode(value, format: format)
    }

    /// Decodes an already parsed record.
    public static func decode(_ value: JSONValue, format: DatasetFormat?) throws(DatasetError) -> DatasetRecord {
        guard case .object(var fields) = value else {
            throw DatasetError(field: "", message: "a record must be a JSON object")
        }
        guard let format = format ?? DatasetFormat.detect(keys: fields.keys) else {
            throw DatasetError(field: "", message: "unknown record shape: expected 'conversations', 'messages' or 'prompt'/'completion'")
        }
        var system: String?
        if let value = fields.removeValue(forKey: "system") {
            guard case .string(let text) = value else { throw DatasetError(field: "/system", message: "expected a string") }
            system = text
        }
        var messages: [Message] = []
        switch format {
        case .sharegpt:
            messages = try turns(fields.removeValue(forKey: "conversations"), key: "conversations", roleKey: "from", textKey: "value")
        case .messages:
            messages = try turns(fields.removeValue(forKey: "messages"), key: "messages", roleKey: "role", textKey: "content")
            if let first = messages.first, first.role == .system {
                if system == nil { system = first.content }
                messages.removeFirst()
            }
        case .promptCompletion:
            let prompt = try string(fields.removeValue(forKey: "prompt"), field: "/prompt")
            let completion = try string(fields.removeValue(forKey: "completion"), field: "/completion")
            messages = [Message(role: .user, content: prompt), Message(role: .assistant, content: completion)]
        }
        guard messages.contains(where: { $0.role == .assistant }) else {
            throw DatasetError(field: format == .messages ? "/messages" : "/conversations", message: "no assistant turn")
        }
        return DatasetRecord(system: system, messages: messages, extra: fields)
    }

    /// The record as one line of compact JSON with sorted keys (no trailing newline).
    public static func encode(_ record: DatasetRecord, as format: DatasetFormat) -> [UInt8] {
        var writer = JSONWriter(reservingCapacity: record.messages.reduce(64) { $0 + $1.content.utf8.count + 32 })
        writer.write(jsonValue(record, as: format))
        return writer.bytes
    }

    /// The record as a JSON value in `format`.
    public static func jsonValue(_ record: DatasetRecord, as format: DatasetFormat) -> JSONValue {
        var fields = record.extra
        switch format {
        case .sharegpt:
            if let system = record.system { fields["system"] = .string(system) }
            fields["conversations"] = .array(record.messages.map {
                .object(["from": .string($0.role.rawValue), "value": .string($0.content)])
            })
        case .messages:
            var turns = record.messages
            if let system = record.system { turns.insert(Message(role: .system, content: system), at: 0) }
            fields["messages"] = .array(turns.map {
                .object(["role": .string($0.role.rawValue), "content": .string($0.content)])
            })
        case .promptCompletion:
            if let system = record.system { fields["system"] = .string(system) }
            // Multi-turn records keep everything before the last answer in the prompt.
            let answerIndex = record.messages.lastIndex { $0.role == .assistant } ?? record.messages.endIndex
            let prompt = record.messages[..<answerIndex].map(\.content).joined(separator: "\n\n")
            fields["prompt"] = .string(prompt)
            fields["completion"] = .string(record.response ?? "")
        }
        return .object(fields)
    }

    private static func turns(_ value: JSONValue?, key: String, roleKey: String, textKey: String) throws(DatasetError) -> [Message] {
        guard let value else { throw DatasetError(field: "/\(key)", message: "required field is missing") }
        guard case .array(let items) = value else { throw DatasetError(field: "/\(key)", message: "expected an array of turns") }
        var messages: [Message] = []
        messages.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let base = "/\(key)/\(index)"
            guard case .object(let turn) = item else { throw DatasetError(field: base, message: "expected an object") }
            let name = try string(turn[roleKey], field: "\(base)/\(roleKey)")
            guard let role = Role(name: name) else {
                throw DatasetError(field: "\(base)/\(roleKey)", message: "unknown role '\(name)'; expected user, assistant or system")
            }
            messages.append(Message(role: role, content: try string(turn[textKey], field: "\(base)/\(textKey)")))
        }
        return messages
    }

    private static func string(_ value: JSONValue?, field: String) throws(DatasetError) -> String {
        switch value {
        case .string(let text)?: return text
        case nil: throw DatasetError(field: field, message: "required field is missing")
        default: throw DatasetError(field: field, message: "expected a string")
        }
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        }
        return "\(error)"
    }
}
