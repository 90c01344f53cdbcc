import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SkyCore
import SkyStore

extension SkyAPI {
    /// The web page: log-in and log-out, the pages, and their stylesheet and script.
    func addWebRoutes(to router: Router<SkyRequestContext>) {
        router.get("/") { _, _ in WebPaths.redirect(to: WebPaths.jobs) }
        router.get("/ui") { _, _ in WebPaths.redirect(to: WebPaths.jobs) }
        router.get("/ui/assets/sky.css") { _, _ in Self.asset(WebStyle.source, type: "text/css; charset=utf-8") }
        router.get("/ui/assets/sky.js") { _, _ in Self.asset(WebScript.source, type: "text/javascript; charset=utf-8") }

        router.get("/ui/login") { request, _ in
            LoginPage(next: WebPaths.safeNext(request.uri.queryParameters.get("next"))).response()
        }
        router.post("/ui/login") { request, _ in try await logIn(request) }
        router.post("/ui/logout") { request, _ in
            guard WebPaths.isSameOrigin(request) else { return LoginPage(next: WebPaths.jobs, message: Self.crossSite).response(status: .forbidden) }
            return WebPaths.redirect(to: WebPaths.login, headers: [.setCookie: SessionCookie.clearing(secure: SessionCookie.isSecure(request))])
        }

        router.get("/ui/jobs") { request, context in try await page(request, context) { try await jobsPage(request, context) } }
        router.get("/ui/jobs/:id") { request, context in try await page(request, context) { try await jobPage(request, context) } }
        router.get("/ui/experiments") { request, context in
            try await page(request, context) { try await experimentsPage(request, context) }
        }
        router.get("/ui/experiments/:name") { request, context in
            try await page(request, context) { try await experimentPage(request, context) }
        }
        router.get("/ui/leaderboards") { request, context in
            try await page(request, context) { try await leaderboardsPage(request, context) }
        }
    }

    /// Checks the token from the form; on success sets the cookie and goes where the user was headed.
    private func logIn(_ request: Request) async throws -> Response {
        // Another site's form must not log the browser in (to a token of its choosing) or out.
        guard WebPaths.isSameOrigin(request) else { return LoginPage(next: WebPaths.jobs, message: Self.crossSite).response(status: .forbidden) }
        let form = try await Self.form(request)
        let next = WebPaths.safeNext(form["next"])
        let secret = (form["token"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var token: TokenRecord?
        if !secret.isEmpty {
            token = try await database { try await tokenCache.token(for: secret, lookup: { try await tokens.authenticate($0) }) }
        }
        guard token != nil else {
            let message = secret.isEmpty ? "Paste a token." : "That token is unknown, revoked or expired."
            return LoginPage(next: next, message: message).response(status: .unauthorized)
        }
        let secure = SessionCookie.isSecure(request)
        return WebPaths.redirect(to: next, headers: [.setCookie: SessionCookie.setting(secret, secure: secure)])
    }

    /// Runs a page's renderer; failures become an HTML page with the problem's status instead of JSON.
    private func page(_ request: Request, _ context: SkyRequestContext, _ render: () async throws -> Response) async throws -> Response {
        do {
            return try await render()
        } catch {
            let problem = ProblemMiddleware.problem(for: error, request: request, logger: context.logger)
            let body: HTML = """
                <h1>\(problem.title)</h1><div class="card"><p>\(problem.detail)</p><p><a href="\(WebPaths.jobs)">Back to the jobs</a></p></div>
                """
            return WebPage(title: problem.title, section: .other, token: context.token, body: body).response(status: problem.status)
        }
    }

    private static let crossSite = "A page of another site cannot log this browser in or out."

    /// The header with which the page's script asks for one live region of a page instead of all of it.
    static let partialHeader = HTTPField.Name("X-Sky-Partial")!

    /// Whether the script asked for just the live region `id` of the page.
    static func wantsPartial(_ request: Request, _ id: String) -> Bool {
        request.headers[partialHeader] == id
    }

    /// A URL-encoded form body as a dictionary (the last value wins).
    static func form(_ request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: 16 << 10)
        var fields: [String: String] = [:]
        for pair in String(buffer: buffer).split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            if let key = parts.first { fields[key] = parts.count > 1 ? parts[1] : "" }
        }
        return fields
    }

    private static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
