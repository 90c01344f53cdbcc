import HTTPTypes
import Hummingbird

/// The log-in form: paste the same token skyctl uses.
struct LoginPage {
    /// Where to go after logging in (already checked to be a local path).
    var next: String
    /// Why the last attempt failed.
    var message: String?

    func response(status: HTTPResponse.Status = .ok) -> Response {
        let notice: HTML = message.map { message -> HTML in "<p class=\"notice\" role=\"alert\">\(message)</p>" } ?? ""
        let body: HTML = """
            <div class="login card">
            <h1>Log in to Sky</h1>
            <p>Paste an API token: the one <code>skyd serve</code> wrote to <code>~/.config/sky/config.yaml</code> on its first start,
            or one from <code>skyd token create</code>.</p>
            \(notice)
            <form method="post" action="\(WebPaths.login)">
            <input type="hidden" name="next" value="\(next)">
            <label for="token">Token</label>
            <input id="token" name="token" type="password" autocomplete="current-password" placeholder="sky_…" autofocus required>
            <button class="primary" type="submit">Log in</button>
            </form>
            </div>
            """
        return WebPage(title: "Log in", section: .other, token: nil, body: body).response(status: status)
    }
}
