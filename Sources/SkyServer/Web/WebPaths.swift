import Foundation
import HTTPTypes
import Hummingbird

/// Where the web page lives and which of its paths need no log-in.
enum WebPaths {
    static let login = "/ui/login"
    static let logout = "/ui/logout"
    static let jobs = "/ui/jobs"
    static let experiments = "/ui/experiments"
    static let leaderboards = "/ui/leaderboards"
    static let assets = "/ui/assets/"

    /// The log-in form, the stylesheet and script it needs, and log-out (which works with a stale cookie too).
    static func isOpen(_ path: String) -> Bool {
        path == login || path == logout || path.hasPrefix(assets)
    }

    /// A page (HTML for people) rather than an API route: redirected to the log-in page, not answered 401.
    static func isPage(_ path: String) -> Bool {
        path == "/" || path == "/ui" || path.hasPrefix("/ui/")
    }

    /// See-other to the log-in page, which brings the user back here afterwards.
    static func redirectToLogin(from request: Request) -> Response {
        let here = request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path
        return redirect(to: "\(login)?next=\(percentEncoded(here))")
    }

    /// A 303 to `location`.
    static func redirect(to location: String, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.location] = location
        headers[.cacheControl] = "no-store"
        return Response(status: .seeOther, headers: headers)
    }

    /// `next` when it is a path on this server; the jobs page otherwise (no open redirect to other sites).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), !next.hasPrefix(login),
            !next.contains(where: { $0.isNewline }) else { return jobs }
        return next
    }

    /// Whether a write came from a page of this server: no Origin (not a browser's cross-site request) or one
    /// naming the same host and port as the request (as a proxy forwarded it, if one says so: a page of
    /// another site cannot set that header on the browser's request).
    static func isSameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.headers[HTTPField.Name("X-Forwarded-Host")!] ?? request.head.authority, let url = URL(string: origin),
            let originHost = url.host else { return false }
        let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
        return originAuthority.lowercased() == host.lowercased()
    }

    /// `text` safe inside a query value.
    static func percentEncoded(_ text: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// `text` safe as one path segment.
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
