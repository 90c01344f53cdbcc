/// Why an API call failed, in the classes a caller acts on differently.
public enum APIError: Error, Sendable, CustomStringConvertible {
    /// No connection could be made (refused, unknown host, timeout).
    case unreachable(server: String, reason: String)
    /// 401: no token, or an unknown, revoked or expired one; `tokenSource` says where it came from.
    case unauthorized(Problem, tokenSource: ServerConnection.Source)
    /// 403: the token lacks the scope the operation needs.
    case forbidden(Problem, tokenSource: ServerConnection.Source)
    /// 404: no such job, artifact or experiment.
    case notFound(Problem)
    /// Any other problem+json answer (400, 409, 413, 415, 422, 500, 503 …).
    case problem(Problem)
    /// An answer that is not what the contract says (wrong status, undecodable body).
    case invalidResponse(status: Int, detail: String)
    /// A download whose bytes do not hash to the SHA-256 the server announced; nothing was kept.
    case checksumMismatch(expected: String, actual: String)

    /// The problem the server sent, if it sent one.
    public var problem: Problem? {
        switch self {
        case .unauthorized(let problem, _), .forbidden(let problem, _), .notFound(let problem), .problem(let problem): problem
        case .unreachable, .invalidResponse, .checksumMismatch: nil
        }
    }

    /// The HTTP status, when there was an answer.
    public var status: Int? {
        switch self {
        case .invalidResponse(let status, _): status
        default: problem?.status
        }
    }

    public var description: String {
        switch self {
        case .unreachable(let server, let reason):
            return "cannot reach the Sky server at \(server) (\(reason)); start it with `skyd serve`, or point skyctl at another with --server or SKY_SERVER"
        case .unauthorized(let problem, let source):
            switch source {
            case .unset(let path):
                return "no API token: pass --token, set SKY_TOKEN, or start `skyd serve` once so it writes \(path)"
            default:
                return "the server refused the token from \(source): \(problem.detail ?? problem.title); make a new one with `skyd token create`"
            }
        case .forbidden(let problem, let source):
            return "the token from \(source) may not do this: \(problem.detail ?? problem.title)"
        case .notFound(let problem), .problem(let problem):
            var text = problem.detail.map { "\(problem.title): \($0)" } ?? problem.title
            // The server often names the first problems in its detail already; list only what it did not.
            for error in problem.errors ?? [] where !(problem.detail ?? "").contains("\(error.pointer): \(error.message)") {
                text += "\n  \(error.pointer.isEmpty ? "(body)" : error.pointer): \(error.message)"
            }
            return text
        case .invalidResponse(let status, let detail):
            return "unexpected answer from the server (HTTP \(status)): \(detail)"
        case .checksumMismatch(let expected, let actual):
            return "the download does not match its checksum (expected sha256 \(expected), got \(actual)); nothing was kept"
        }
    }

    /// The process exit status skyctl uses for this error (sysexits.h where one fits).
    public var exitCode: Int32 {
        switch self {
        case .unreachable: return 69  // EX_UNAVAILABLE
        case .unauthorized, .forbidden: return 77  // EX_NOPERM
        case .notFound: return 66  // EX_NOINPUT
        case .problem(let problem):
            switch problem.status {
            case 400, 422: return 65  // EX_DATAERR
            case 503: return 69
            default: return 1
            }
        case .invalidResponse, .checksumMismatch: return 1
        }
    }
}
