public import HTTPTypes
public import SkyCore

/// An RFC 9457 problem: the one shape every error response of the API takes.
public struct APIProblem: Error, Sendable, CustomStringConvertible {
    /// The stable last segment of `type` (e.g. `invalid-spec`); clients branch on it.
    public var name: String
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    /// Each bad field, located by a JSON pointer into the request body.
    public var errors: [SpecIssue]
    /// Extra response headers (WWW-Authenticate, Retry-After).
    public var headers: HTTPFields

    /// Base of every problem `type` URI.
    public static let typeBase = "https://sky.dev/problems/"

    /// Creates a problem.
    public init(_ name: String, _ status: HTTPResponse.Status, title: String, detail: String, errors: [SpecIssue] = [], headers: HTTPFields = [:]) {
        self.name = name
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    public var description: String { "\(status.code) \(name): \(detail)" }

    /// The problem+json body.
    public func body(instance: String?) -> JSONValue {
        var fields: [String: JSONValue] = [
            "type": .string(Self.typeBase + name), "title": .string(title), "status": .number(Double(status.code)),
            "detail": .string(detail),
        ]
        if let instance { fields["instance"] = .string(instance) }
        if !errors.isEmpty {
            fields["errors"] = .array(errors.map { .object(["pointer": .string($0.pointer), "message": .string($0.message)]) })
        }
        return .object(fields)
    }

    // The problems the API raises, one constructor each, so names and statuses stay consistent.

    /// 400: the request cannot be parsed (bad JSON, query parameter or path id).
    public static func badRequest(_ detail: String, errors: [SpecIssue] = []) -> APIProblem {
        APIProblem("bad-request", .badRequest, title: "Malformed request", detail: detail, errors: errors)
    }

    /// 400: the body is not JSON.
    public static func malformedJSON(_ detail: String) -> APIProblem {
        APIProblem("malformed-json", .badRequest, title: "The body is not valid JSON", detail: detail)
    }

    /// 401: no usable token.
    public static func unauthorized(_ detail: String) -> APIProblem {
        APIProblem("unauthorized", .unauthorized, title: "Authentication required", detail: detail,
                   headers: [.wwwAuthenticate: "Bearer realm=\"sky\""])
    }

    /// 403: the token lacks a scope.
    public static func forbidden(needs scope: TokenScope) -> APIProblem {
        APIProblem("forbidden", .forbidden, title: "Insufficient scope",
                   detail: "this operation needs a token with the '\(scope.rawValue)' scope")
    }

    /// 404: no such resource.
    public static func notFound(_ detail: String) -> APIProblem {
        APIProblem("not-found", .notFound, title: "Not found", detail: detail)
    }

    /// 405: the path exists but not with this method.
    public static func methodNotAllowed(_ detail: String) -> APIProblem {
        APIProblem("method-not-allowed", .methodNotAllowed, title: "Method not allowed", detail: detail)
    }

    /// 409: not allowed in the resource's current state.
    public static func conflict(_ detail: String) -> APIProblem {
        APIProblem("illegal-state", .conflict, title: "Not allowed in the current state", detail: detail)
    }

    /// 413: the body passed the limit.
    public static func tooLarge(limit: Int64) -> APIProblem {
        APIProblem("body-too-large", .contentTooLarge, title: "Body too large", detail: "the body is larger than the limit of \(limit) bytes")
    }

    /// 415: a media type the route does not take.
    public static func unsupportedMediaType(_ detail: String) -> APIProblem {
        APIProblem("unsupported-media-type", .unsupportedMediaType, title: "Unsupported media type", detail: detail)
    }

    /// 422: well-formed but invalid.
    public static func invalid(_ name: String, _ detail: String, errors: [SpecIssue]) -> APIProblem {
        APIProblem(name, .unprocessableContent, title: "Invalid request", detail: detail, errors: errors)
    }

    /// 503: the database cannot be reached.
    public static func unavailable(_ detail: String) -> APIProblem {
        APIProblem("database-unavailable", .serviceUnavailable, title: "Database unavailable", detail: detail,
                   headers: [.retryAfter: "5"])
    }

    /// 500: a bug; the detail says no more than that.
    public static func `internal`() -> APIProblem {
        APIProblem("internal", .internalServerError, title: "Internal error",
                   detail: "the server failed to handle this request; the error is in its log")
    }
}
