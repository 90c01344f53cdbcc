import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SkyCore
import SkyServer
import SkyStore
import SkyTestSupport
import Testing

/// The web page served by skyd: log-in with a token kept in an HttpOnly cookie, the pages, escaping.
@Suite struct WebPageTests {
    /// A page request (not checked against the API contract: pages are HTML, not part of it).
    static func page(_ api: APITester, _ uri: String, cookie: String? = nil, method: HTTPRequest.Method = .get,
                     form: String? = nil, headers: HTTPFields = [:]) async throws -> APIResponse {
        var headers = headers
        if let cookie { headers[.cookie] = "sky_token=\(cookie)" }
        if form != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
        let response = try await api.client.execute(uri: uri, method: method, headers: headers, body: form.map { ByteBuffer(string: $0) })
        return APIResponse(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
    }

    @Test func logInSetsAnHttpOnlyStrictCookieThatTheAPIAccepts() async throws {
        try await withAPI { api in
            let form = "token=\(api.reader)&next=\(WebPageTests.encoded("/ui/experiments"))"
            let login = try await Self.page(api, "/ui/login", method: .post, form: form)
            #expect(login.status == .seeOther)
            #expect(login.headers[.location] == "/ui/experiments")
            let cookie = try #require(login.headers[.setCookie])
            #expect(cookie.hasPrefix("sky_token=\(api.reader);"))
            for flag in ["HttpOnly", "SameSite=Strict", "Path=/"] { #expect(cookie.contains(flag), "\(cookie) has \(flag)") }
            #expect(!cookie.contains("Secure"), "plain http: a Secure cookie would never come back")

            let behindTLS = try await Self.page(api, "/ui/login", method: .post, form: "token=\(api.reader)",
                                                headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(behindTLS.headers[.setCookie]?.contains("; Secure") == true)

            // The API takes the cookie instead of a bearer header, with the cookie's token's scopes.
            let listed = try await api.request(.get, "/v1/jobs", token: .some(nil), headers: [.cookie: "sky_token=\(api.reader)"])
            #expect(listed.status == .ok)
            let refused = try await api.request(.post, "/v1/jobs", token: .some(nil), json: .sleepJob(), headers: [.cookie: "sky_token=\(api.reader)"])
            #expect(refused.status == .forbidden, "a read token stays a read token in a cookie")
            let bad = try await api.request(.get, "/v1/jobs", token: .some(nil), headers: [.cookie: "sky_token=sky_nope"])
            #expect(bad.status == .unauthorized)
            // Bearer wins over the cookie, as before.
            let bearer = try await api.request(.post, "/v1/jobs", token: api.submitter, json: .sleepJob(), headers: [.cookie: "sky_token=\(api.reader)"])
            #expect(bearer.status == .created)
            // A write carrying the cookie from another site's page is refused.
            let crossSite = try await api.request(.post, "/v1/jobs", token: .some(nil), json: .sleepJob(),
                                                  headers: [.cookie: "sky_token=\(api.submitter)", .origin: "https://evil.example"])
            #expect(crossSite.status == .forbidden)

            let logout = try await Self.page(api, "/ui/logout", cookie: api.reader, method: .post)
            #expect(logout.status == .seeOther && logout.headers[.location] == "/ui/login")
            #expect(logout.headers[.setCookie]?.hasPrefix("sky_token=; Max-Age=0") == true)
        }
    }

    @Test func aBadTokenIsRefusedAndNoCookieIsSet() async throws {
        try await withAPI { api in
            let refused = try await Self.page(api, "/ui/login", method: .post, form: "token=sky_not-a-token&next=%2Fui%2Fjobs")
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.setCookie] == nil)
            #expect(refused.text.contains("unknown, revoked or expired"))
            // Only local paths are followed after logging in.
            let elsewhere = try await Self.page(api, "/ui/login", method: .post, form: "token=\(api.reader)&next=\(Self.encoded("//evil.example/x"))")
            #expect(elsewhere.headers[.location] == "/ui/jobs")
            // Nor may another site's form log the browser in.
            let foreign = try await Self.page(api, "/ui/login", method: .post, form: "token=\(api.reader)", headers: [.origin: "https://evil.example"])
            #expect(foreign.status == .forbidden && foreign.headers[.setCookie] == nil)
        }
    }

    @Test func pagesRedirectToTheLogInPageWithoutAToken() async throws {
        try await withAPI { api in
            for path in ["/", "/ui/jobs", "/ui/jobs/1", "/ui/experiments", "/ui/experiments/demo", "/ui/leaderboards"] {
                let response = try await Self.page(api, path)
                #expect(response.status == .seeOther, "\(path)")
                #expect(response.headers[.location]?.hasPrefix("/ui/login") == true, "\(path)")
            }
            let withQuery = try await Self.page(api, "/ui/jobs?state=failed")
            #expect(withQuery.headers[.location] == "/ui/login?next=/ui/jobs%3Fstate%3Dfailed")
            let stale = try await Self.page(api, "/ui/jobs", cookie: "sky_revoked")
            #expect(stale.status == .seeOther)
            let login = try await Self.page(api, "/ui/login?next=%2Fui%2Fleaderboards")
            #expect(login.status == .ok && login.text.contains("name=\"next\" value=\"/ui/leaderboards\""))
            let script = try await Self.page(api, "/ui/assets/sky.js")
            #expect(script.status == .ok && script.headers[.contentType]?.hasPrefix("text/javascript") == true)
        }
    }

    @Test func pagesShowTheJobsExperimentsAndLeaderboards() async throws {
        try await withAPI { api in
            let job = try await api.submit(.sleepJob(extra: [
                "name": .string("warm-up"), "experiment": .string("grid"), "tags": .array([.string("stage:perturb"), .string("variant:shuffle 100%")]),
            ]))
            let claimed = try #require(try await api.db.queue.claim(for: .test(), limit: 1, lease: .seconds(60)).first)
            let token = claimed.token
            let points = (1...5).flatMap { step in
                [JobMetricPoint(token: token, key: "loss", step: step, value: 3.0 / Double(step)),
                 JobMetricPoint(token: token, key: "learning_rate", step: step, value: 0.001 * Double(step))]
            }
            try await api.db.queue.record(logs: [JobLogLine(token: token, level: "info", message: "step 5 loss 0.6")], metrics: points,
                                          progress: [JobProgress(token: token, fraction: 0.5, message: "step 5/10")])
            _ = try await EvalRoutesTests.storeRun(api, experiment: "grid", variant: "correct", benchmark: "synthetic", accuracy: 0.75)

            let jobs = try await Self.page(api, "/ui/jobs", cookie: api.reader)
            #expect(jobs.status == .ok)
            #expect(jobs.headers[.contentType] == "text/html; charset=utf-8")
            #expect(jobs.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(jobs.text.contains("warm-up") && jobs.text.contains("step 5/10") && jobs.text.contains("badge running"))

            let detail = try await Self.page(api, "/ui/jobs/\(job)", cookie: api.reader)
            #expect(detail.status == .ok)
            for text in ["step 5 loss 0.6", "<svg", "Loss", "Learning rate", "&quot;durationSeconds&quot;", "data-follow=\"true\""] {
                #expect(detail.text.contains(text), "job page shows \(text)")
            }
            let partial = try await Self.page(api, "/ui/jobs/\(job)", cookie: api.reader, headers: [HTTPField.Name("X-Sky-Partial")!: "job-live"])
            #expect(partial.text.hasPrefix("<div id=\"job-live\"") && !partial.text.contains("<html"))

            let experiment = try await Self.page(api, "/ui/experiments/grid", cookie: api.reader)
            #expect(experiment.status == .ok)
            for text in ["perturb", "shuffle 100%", "synthetic", "75.0", "correct"] {
                #expect(experiment.text.contains(text), "experiment page shows \(text)")
            }
            let experiments = try await Self.page(api, "/ui/experiments", cookie: api.reader)
            #expect(experiments.text.contains("/ui/experiments/grid"))
            let boards = try await Self.page(api, "/ui/leaderboards", cookie: api.reader)
            #expect(boards.text.contains("synthetic") && boards.text.contains("75.0"))
            let missing = try await Self.page(api, "/ui/jobs/999999", cookie: api.reader)
            #expect(missing.status == .notFound && missing.text.contains("<html"))
            #expect(try await Self.page(api, "/ui/experiments/nothing", cookie: api.reader).status == .notFound)
        }
    }

    /// The experiment page marks (†) the cells whose samples differ from the `correct` row's beyond noise, and only
    /// those: 20 problems all right against none right is p ≈ 2·10⁻⁶; the same verdicts are p = 1.
    @Test func theExperimentPageMarksCellsThatDifferFromTheCorrectRow() async throws {
        try await withAPI { api in
            let all = Dictionary(uniqueKeysWithValues: (0..<20).map { ("p\($0)", [true]) })
            let none = Dictionary(uniqueKeysWithValues: (0..<20).map { ("p\($0)", [false]) })
            _ = try await EvalRoutesTests.storeRun(api, experiment: "marks", variant: "correct", benchmark: "synthetic", accuracy: 1, problems: all)
            _ = try await EvalRoutesTests.storeRun(api, experiment: "marks", variant: "wrong answers", benchmark: "synthetic", accuracy: 0,
                                                   problems: none)
            _ = try await EvalRoutesTests.storeRun(api, experiment: "marks", variant: "shuffle 33%", benchmark: "synthetic", accuracy: 1,
                                                   problems: all)
            let page = try await Self.page(api, "/ui/experiments/marks", cookie: api.reader)
            #expect(page.status == .ok)
            let rows = page.text.components(separatedBy: "<tr>").map { $0.components(separatedBy: "</tr>")[0] }
            let wrong = try #require(rows.first { $0.contains("<td>wrong answers</td>") })
            let shuffle = try #require(rows.first { $0.contains("<td>shuffle 33%</td>") })
            #expect(wrong.contains("†") && !shuffle.contains("†"), "\(page.text)")
            #expect(page.text.contains("differs from <em>correct</em> sample by sample"))
        }
    }

    @Test func everyUserStringIsEscaped() async throws {
        try await withAPI { api in
            let evil = "<script>alert('x')</script>"
            let job = try await api.submit(.sleepJob(extra: [
                "name": .string(evil), "experiment": .string("e<img src=x onerror=alert(1)>"), "tags": .array([.string("stage:\(evil)")]),
            ]))
            let claimed = try #require(try await api.db.queue.claim(for: .test(), limit: 1, lease: .seconds(60)).first)
            try await api.db.queue.record(logs: [JobLogLine(token: claimed.token, level: "info", message: "log \(evil)")], metrics: [],
                                          progress: [JobProgress(token: claimed.token, fraction: 0.1, message: evil)])
            let experimentPath = "/ui/experiments/" + Self.encoded("e<img src=x onerror=alert(1)>")
            for path in ["/ui/jobs", "/ui/jobs/\(job)", "/ui/experiments", experimentPath] {
                let page = try await Self.page(api, path, cookie: api.reader)
                #expect(page.status == .ok, "\(path)")
                #expect(!page.text.contains("<script>alert"), "\(path) escapes script tags")
                #expect(!page.text.contains("<img src=x"), "\(path) escapes attributes")
                #expect(page.text.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") || page.text.contains("&lt;img src=x"), "\(path)")
            }
        }
    }

    static func encoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
