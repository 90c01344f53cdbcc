import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOFoundationEssentialsCompat
import PostgresNIO
import SkyCore
import SkyStore

/// Turns every error into an application/problem+json response, so clients see one error shape and no
/// request can escape as a dropped connection. Unexpected errors are logged and answered with a bare 500.
struct ProblemMiddleware: RouterMiddleware {
    typealias Context = SkyRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Self.problem(for: error, request: request, logger: context.logger)
            return Self.response(problem, instance: request.uri.path)
        }
    }

    /// The response for `problem`.
    static func response(_ problem: APIProblem, instance: String?) -> Response {
        var headers = problem.headers
        headers[.contentType] = "application/problem+json"
        return Response(status: problem.status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: problem.body(instance: instance).encoded())))
    }

    /// Maps an error from anywhere below to the problem the client gets.
    static func problem(for error: any Error, request: Request, logger: Logger) -> APIProblem {
        switch error {
        case let problem as APIProblem:
            return problem
        case let error as JobQueueError:
            switch error {
            case .notFound(let id): return .notFound("job \(id) does not exist")
            case .unknownDependency(let index, let id):
                return .invalid("unknown-dependency", error.description, errors: [SpecIssue("/dependsOn/\(index)", "job \(id) does not exist")])
            case .illegalState: return .conflict(error.description)
            case .invalid(let validation):
                return .invalid("invalid-spec", validation.description, errors: validation.issues)
            }
        case let error as ArtifactError:
            switch error {
            case .notFound: return .notFound(error.description)
            case .tooLarge(let limit): return .tooLarge(limit: limit)
            case .notHeld, .corrupted:
                logger.error("artifact error: \(error)")
                return .internal()
            }
        case let unknown as UnknownStoredValue:
            // Not the client's fault and not a crash: a row this server is too old to read. Say which.
            logger.error("\(unknown)")
            return APIProblem("unknown-stored-value", .internalServerError, title: "Stored by a newer Sky", detail: unknown.description)
        case EvalStoreError.runNotFound(let id):
            return .notFound("eval run \(id) does not exist")
        case let error as HTTPError:
            switch error.status {
            case .notFound:
                let allowed = ContractPaths.methods(for: request.uri.path)
                guard allowed.isEmpty else {
                    var problem = APIProblem.methodNotAllowed("\(request.method) is not allowed on \(request.uri.path); "
                        + "it takes \(allowed.joined(separator: ", "))")
                    problem.headers[.allow] = allowed.joined(separator: ", ")
                    return problem
                }
                return .notFound("no route for \(request.method) \(request.uri.path)")
            case .methodNotAllowed: return .methodNotAllowed("\(request.method) is not allowed on \(request.uri.path)")
            case .contentTooLarge: return APIProblem("body-too-large", .contentTooLarge, title: "Body too large", detail: error.body ?? "the body is larger than the limit")
            case .badRequest: return .badRequest(error.body ?? "malformed request")
            default:
                return APIProblem("http-\(error.status.code)", error.status, title: error.status.reasonPhrase, detail: error.body ?? error.status.reasonPhrase)
            }
        case is DatabaseDeadlineExceeded:
            return .unavailable("the database did not answer in time")
        default:
            if DatabaseAvailability.isUnavailable(error) {
                logger.warning("database unavailable: \(String(reflecting: error))")
                return .unavailable("the database cannot be reached; try again shortly")
            }
            logger.error("unhandled error on \(request.method) \(request.uri.path): \(String(reflecting: error))")
            return .internal()
        }
    }
}
