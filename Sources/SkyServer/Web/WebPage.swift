import HTTPTypes
import Hummingbird
import NIOCore
import SkyCore
import SkyStore

/// One page of the web UI: the frame around every page and how it is sent.
struct WebPage {
    /// Which navigation entry is lit.
    enum Section: String { case jobs, experiments, leaderboards, other }

    var title: String
    var section: Section
    var token: TokenRecord?
    var body: HTML

    /// The whole document.
    var document: HTML {
        let nav: [(Section, String, String)] = [
            (.jobs, "Jobs", WebPaths.jobs), (.experiments, "Experiments", WebPaths.experiments),
            (.leaderboards, "Leaderboards", WebPaths.leaderboards),
        ]
        // Logged out (the log-in page), the links would only lead back to it.
        let links = token == nil ? [] : nav.map { item -> HTML in
            "<a href=\"\(item.2)\"\(item.0 == section ? HTML(trusted: " class=\"active\"") : "")>\(item.1)</a>"
        }
        let user: HTML = token.map { token -> HTML in
            """
            <span class="who" title="token \(token.prefix)…">\(token.name) · \(token.scopes.map(\.rawValue).sorted().joined(separator: ", "))</span>
            <form method="post" action="\(WebPaths.logout)"><button class="link">Log out</button></form>
            """
        } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · Sky</title><link rel="icon" href="data:,">
            <link rel="stylesheet" href="\(WebPaths.assets)sky.css"><script src="\(WebPaths.assets)sky.js" defer></script>
            </head><body>
            <header class="top"><a class="brand" href="\(WebPaths.jobs)">Sky</a><nav>\(links)</nav><div class="user">\(user)</div></header>
            <main>\(body)</main>
            </body></html>
            """
    }

    /// The page as a response; no caching, and a policy that runs no script but the server's own file.
    func response(status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        Self.html(document, status: status, headers: headers)
    }

    /// An HTML response (a page or the live part of one).
    static func html(_ html: HTML, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] =
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html.description)))
    }
}
