import Foundation
import Hummingbird
import SkyCore

/// Typed reads of query and path parameters; a bad value is a 400 naming the parameter.
struct QueryParameters {
    let request: Request
    let context: SkyRequestContext

    static func parseTime(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle())
    }

    func string(_ name: String) -> String? {
        request.uri.queryParameters.get(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A typed parameter's text: nil when absent, a 400 when given empty (`?limit=` is a mistake, not "no limit").
    func typed(_ name: String) throws -> String? {
        guard let text = request.uri.queryParameters.get(name) else { return nil }
        guard !text.isEmpty else { throw APIProblem.badRequest("query parameter '\(name)' is empty; give a value or leave it out") }
        return text
    }

    func integer(_ name: String, in range: ClosedRange<Int64>) throws -> Int64? {
        guard let text = try typed(name) else { return nil }
        guard let value = Int64(text), range.contains(value) else {
            throw APIProblem.badRequest("query parameter '\(name)' must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return value
    }

    func boolean(_ name: String) throws -> Bool? {
        guard let text = try typed(name) else { return nil }
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw APIProblem.badRequest("query parameter '\(name)' must be true or false, got '\(text)'")
        }
    }

    func time(_ name: String) throws -> Date? {
        guard let text = try typed(name) else { return nil }
        guard let date = Self.parseTime(text) else {
            throw APIProblem.badRequest("query parameter '\(name)' must be an RFC 3339 time, got '\(text)'")
        }
        return date
    }

    func cursor(_ name: String = "cursor") throws -> Int64? {
        guard let text = string(name) else { return nil }
        guard let value = Int64(text), value >= 0 else { throw APIProblem.badRequest("'\(name)' is not a cursor this server issued") }
        return value
    }

    func kind() throws -> JobKind? {
        guard let text = try typed("kind") else { return nil }
        guard let kind = JobKind(rawValue: text) else {
            throw APIProblem.badRequest("query parameter 'kind' must be one of \(JobKind.allCases.map(\.rawValue)), got '\(text)'")
        }
        return kind
    }

    func states() throws -> [JobState]? {
        guard let text = try typed("state") else { return nil }
        return try text.split(separator: ",").map { part in
            guard let state = JobState(rawValue: part.trimmingCharacters(in: .whitespaces)) else {
                throw APIProblem.badRequest("query parameter 'state' must list states from \(JobState.allCases.map(\.rawValue)), got '\(part)'")
            }
            return state
        }
    }

    func artifactKind() throws -> ArtifactKind? {
        guard let text = try typed("kind") else { return nil }
        guard let kind = ArtifactKind(rawValue: text) else {
            throw APIProblem.badRequest("query parameter 'kind' must be one of \(ArtifactKind.allCases.map(\.rawValue)), got '\(text)'")
        }
        return kind
    }

    /// A positive id from the path.
    func pathID(_ name: String = "id") throws -> Int64 {
        let text = context.parameters.get(name) ?? ""
        guard let id = Int64(text), id > 0 else { throw APIProblem.badRequest("'\(text)' is not a valid id") }
        return id
    }

    func pathString(_ name: String) throws -> String {
        guard let text = context.parameters.get(name), !text.isEmpty else { throw APIProblem.badRequest("missing path parameter '\(name)'") }
        return text.removingPercentEncoding ?? text
    }
}
