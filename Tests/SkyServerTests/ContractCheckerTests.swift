import Foundation
import Testing

/// The contract checker itself must catch non-conforming responses, or every contract check is vacuous.
@Suite struct ContractCheckerTests {
    let contract = OpenAPIContract.shared

    @Test func rejectsWhatTheDocumentForbids() {
        let problem = Data(#"{"type":"https://sky.dev/problems/x","title":"t","status":404,"detail":"d"}"#.utf8)
        #expect(contract.check(method: "GET", path: "/v1/jobs/5", status: 404, contentType: "application/problem+json", body: problem).isEmpty)
        #expect(!contract.check(method: "GET", path: "/v1/jobs/5", status: 404, contentType: "application/json", body: problem).isEmpty,
                "wrong media type")
        #expect(!contract.check(method: "GET", path: "/v1/jobs/5", status: 418, contentType: "application/problem+json", body: problem).isEmpty,
                "undeclared status")
        #expect(!contract.check(method: "GET", path: "/v1/nothing", status: 200, contentType: "application/json", body: Data("{}".utf8)).isEmpty,
                "undeclared path")
        let noTitle = Data(#"{"type":"x","status":404}"#.utf8)
        #expect(!contract.check(method: "GET", path: "/v1/jobs/5", status: 404, contentType: "application/problem+json", body: noTitle).isEmpty,
                "missing required field")
        let badQueue = Data(#"{"queues":[{"name":"q","counts":{"waiting":0,"queued":0,"running":0,"succeeded":0,"failed":0,"cancelled":0},"paused":"no"}]}"#.utf8)
        #expect(!contract.check(method: "GET", path: "/v1/queues", status: 200, contentType: "application/json", body: badQueue).isEmpty,
                "wrong type")
        let extra = Data(#"{"queues":[{"name":"q","counts":{"waiting":0,"queued":0,"running":0,"succeeded":0,"failed":0,"cancelled":0},"paused":false,"colour":1}]}"#.utf8)
        #expect(!contract.check(method: "GET", path: "/v1/queues", status: 200, contentType: "application/json", body: extra).isEmpty,
                "field the schema does not allow")
        let good = Data(#"{"queues":[{"name":"q","counts":{"waiting":0,"queued":0,"running":0,"succeeded":0,"failed":0,"cancelled":0},"paused":false,"oldestQueuedAgeSeconds":null}]}"#.utf8)
        #expect(contract.check(method: "GET", path: "/v1/queues", status: 200, contentType: "application/json", body: good).isEmpty)
    }

    @Test func templatesPreferLiteralSegments() {
        #expect(contract.template(for: "/v1/jobs/batch") == "/v1/jobs/batch")
        #expect(contract.template(for: "/v1/jobs/12") == "/v1/jobs/{id}")
        #expect(contract.template(for: "/v1/jobs/12/metrics/loss") == "/v1/jobs/{id}/metrics/{key}")
    }
}
