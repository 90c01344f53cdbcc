public import Foundation

/// A typed job spec: decoded from the JSON a user submits, validated before it is stored.
public protocol JobSpec: Codable, Sendable {
    /// The job kind this spec belongs to.
    static var kind: JobKind { get }
    /// Every problem with the spec's values (types were already checked by decoding).
    func validate() -> [SpecIssue]
}

extension JobSpec {
    /// Decodes and validates a spec, turning decoding errors into located `SpecIssue`s.
    public static func decodeValidated(from data: Data) throws(SpecValidationError) -> Self {
        let spec: Self
        let decoding = SpecDecodingIssues()
        do {
            let decoder = JSONDecoder()
            decoder.userInfo[SpecDecodingIssues.key] = decoding
            spec = try decoder.decode(Self.self, from: data)
        } catch let error as DecodingError {
            throw SpecValidationError(kind: kind.rawValue, issues: [SpecIssue(decodingError: error)])
        } catch {
            throw SpecValidationError(kind: kind.rawValue, issues: [SpecIssue("", "\(error)")])
        }
        let issues = decoding.issues + spec.validate()
        if !issues.isEmpty { throw SpecValidationError(kind: kind.rawValue, issues: issues) }
        return spec
    }
}

extension SpecIssue {
    /// Locates a `DecodingError` as a JSON pointer with a plain message.
    public init(decodingError error: DecodingError) {
        let pointer = Self.pointer
        switch error {
        case .typeMismatch(let type, let context):
            self.init(pointer(context.codingPath), "expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            self.init(pointer(context.codingPath), "expected \(Self.describe(type)), found null")
        case .keyNotFound(let key, let context):
            self.init(pointer(context.codingPath + [key]), "required field is missing")
        case .dataCorrupted(let context):
            self.init(pointer(context.codingPath), context.debugDescription)
        @unknown default:
            self.init("", "\(error)")
        }
    }

    /// The JSON pointer of a coding path (RFC 6901 escapes).
    static func pointer(_ path: [any CodingKey]) -> String {
        path.map { key in
            let token = key.intValue.map(String.init) ?? key.stringValue
            return "/" + token.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
        }.joined()
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        default:
            String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
