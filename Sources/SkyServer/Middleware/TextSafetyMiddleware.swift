import Foundation
import Hummingbird
import SkyCore

/// Refuses, before any route runs, a path or query parameter carrying text PostgreSQL cannot store (a NUL, U+0000),
/// with a 400 that names the parameter: otherwise the first query binding it would fail deep in the store as a 500.
/// JSON bodies get the same check, with the JSON pointer, in `JSONBody.read`.
struct TextSafetyMiddleware: RouterMiddleware {
    typealias Context = SkyRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if (request.uri.path.removingPercentEncoding ?? request.uri.path).unicodeScalars.contains("\0") {
            throw APIProblem.badRequest("the path contains a NUL character (%00), which Sky cannot store or look up")
        }
        for (name, value) in request.uri.queryParameters {
            let (name, value) = (String(name), String(value))
            if name.unicodeScalars.contains("\0") || value.unicodeScalars.contains("\0") {
                throw APIProblem.badRequest("query parameter '\(name.replacingOccurrences(of: "\0", with: "%00"))' contains a NUL "
                    + "character (%00), which Sky cannot store or look up")
            }
        }
        return try await next(request, context)
    }
}
