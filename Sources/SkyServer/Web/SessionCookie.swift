import Foundation
import HTTPTypes
import Hummingbird

/// The web page's log-in: the API token itself, kept in a cookie scripts cannot read.
///
/// The cookie holds the same token skyctl uses (no second kind of credential to revoke): HttpOnly so a
/// script on the page cannot read it, SameSite=Strict so no other site can make the browser send it,
/// Secure when the page was fetched over https.
enum SessionCookie {
    /// The cookie's name.
    static let name = "sky_token"
    /// How long the browser keeps it; the token's own expiry and revocation still apply on every request.
    static let maxAgeSeconds = 30 * 24 * 3600

    /// The token in the request's Cookie header(s), if any.
    static func token(in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name else { continue }
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                if !value.isEmpty { return value }
            }
        }
        return nil
    }

    /// The Set-Cookie value that logs in with `token`.
    static func setting(_ token: String, secure: Bool) -> String {
        "\(name)=\(token); Max-Age=\(maxAgeSeconds); Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// The Set-Cookie value that logs out.
    static func clearing(secure: Bool) -> String {
        "\(name)=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// Whether the browser reached us over https (directly or through a proxy that says so).
    static func isSecure(_ request: Request) -> Bool {
        request.uri.scheme?.rawValue == "https" || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }
}
