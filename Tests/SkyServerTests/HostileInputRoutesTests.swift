import Foundation
import HTTPTypes
import SkyCore
import SkyServer
import SkyTestSupport
import Testing

/// Input PostgreSQL cannot store, or that is not text at all, is refused where it arrives with a message that names
/// the parameter or JSON pointer, never passed down to fail as a 500 (the cases Schemathesis found, kept here so
/// each fix has a test that fails without it; scripts/test-fuzz.sh runs the fuzzer itself).
@Suite struct HostileInputRoutesTests {
    @Test func aNULInAQueryParameterOrThePathIsABadRequestNamingIt() async throws {
        try await withAPI { api in
            let listing = try await api.request(.get, "/v1/jobs?queue=%00%C3%98")
            #expect(listing.status == .badRequest && listing.json["detail"]?.stringValue?.contains("query parameter 'queue' contains a NUL") == true,
                    "\(listing.text)")
            let pause = try await api.request(.post, "/v1/queues/a%00b/pause")
            #expect(pause.status == .badRequest && pause.text.contains("the path contains a NUL"), "\(pause.text)")
            let upload = try await api.request(.post, "/v1/artifacts?name=x%00", body: Data("data".utf8),
                                               headers: [.contentType: "application/octet-stream"])
            #expect(upload.status == .badRequest && upload.text.contains("query parameter 'name'"), "\(upload.text)")
        }
    }

    @Test func aNULInAJSONBodyIsInvalidAtItsPointerAndNothingIsStored() async throws {
        try await withAPI { api in
            let job: JSONValue = .object(["kind": .string("sleep"), "spec": .object([:]), "name": .string("a\u{0}b")])
            let refused = try await api.request(.post, "/v1/jobs", json: job)
            #expect(refused.status == .unprocessableContent && refused.problem == "invalid-text" && refused.pointers == ["/name"], "\(refused.text)")
            let key = try await api.request(.post, "/v1/jobs", json: .object(["kind": .string("sleep"), "spec": .object(["out\u{0}": .null])]))
            #expect(key.status == .unprocessableContent && key.pointers == ["/spec/out\u{0}"], "\(key.text)")
            let id = try await api.submit(.object(["kind": .string("sleep"), "spec": .object(["durationSeconds": .number(60)])]))
            let cancel = try await api.request(.post, "/v1/jobs/\(id)/cancel", json: .object(["reason": .string("x\u{0}")]))
            #expect(cancel.status == .unprocessableContent && cancel.pointers == ["/reason"], "\(cancel.text)")
            let pause = try await api.request(.post, "/v1/queues/q/pause", json: .object(["reason": .string("\u{0}")]))
            #expect(pause.status == .unprocessableContent && pause.pointers == ["/reason"], "\(pause.text)")
            let jobs = try await api.request(.get, "/v1/jobs")
            #expect(jobs.json["jobs"]?.arrayCount == 1)
        }
    }

    @Test func aLoneSurrogateIsReportedAsInvalidUnicodeWithItsPlace() async throws {
        try await withAPI { api in
            let high = try await api.request(.post, "/v1/jobs", body: Data(#"{"kind": "sleep", "spec": {}, "tags": ["\ud800"]}"#.utf8),
                                             headers: [.contentType: "application/json"])
            #expect(high.status == .badRequest, "\(high.text)")
            #expect(high.json["detail"]?.stringValue?.contains("a lone UTF-16 high surrogate \\uD800") == true
                    && high.text.contains("column 41 (byte 40)"), "\(high.text)")
            let low = try await api.request(.post, "/v1/jobs", body: Data(#"{"kind": "sleep", "spec": {}, "name": "a\udc00"}"#.utf8),
                                            headers: [.contentType: "application/json"])
            #expect(low.status == .badRequest && low.text.contains("lone UTF-16 low surrogate \\\\uDC00"), "\(low.text)")
            let pair = try await api.request(.post, "/v1/jobs", body: Data(#"{"kind": "sleep", "spec": {}, "name": "\ud83d\ude00"}"#.utf8),
                                             headers: [.contentType: "application/json"])
            #expect(pair.status == .created && pair.json["name"]?.stringValue == "😀", "\(pair.text)")
        }
    }

    @Test func aMethodTheContractDoesNotListIsNotAllowedWithTheMethodsItDoes() async throws {
        try await withAPI { api in
            let trace = try await api.request(.delete, "/v1/jobs", outsideContract: true)
            #expect(trace.status == .methodNotAllowed && trace.headers[.allow] == "POST, GET", "\(trace.status) \(trace.text)")
            let job = try await api.request(.put, "/v1/jobs/7/cancel", outsideContract: true)
            #expect(job.status == .methodNotAllowed && job.headers[.allow] == "POST")
            #expect(try await api.request(.get, "/v1/nothing-here", outsideContract: true).status == .notFound)
        }
    }

    @Test func emptyTypedParametersEmptyUploadsAndUnknownFieldsAreRefused() async throws {
        try await withAPI { api in
            #expect(try await api.request(.get, "/v1/jobs?limit=").status == .badRequest)
            #expect(try await api.request(.get, "/v1/jobs?createdBefore=").status == .badRequest)
            #expect(try await api.request(.get, "/v1/jobs?queue=").status == .ok)  // an empty filter is no filter
            let empty = try await api.request(.post, "/v1/artifacts?name=nothing", body: Data(), headers: [.contentType: "application/octet-stream"])
            #expect(empty.status == .unprocessableContent && empty.problem == "empty-upload", "\(empty.text)")
            #expect(try await api.request(.get, "/v1/artifacts").json["artifacts"]?.arrayCount == 0)
            let id = try await api.submit(.object(["kind": .string("sleep"), "spec": .object(["durationSeconds": .number(60)])]))
            let extra = try await api.request(.post, "/v1/jobs/\(id)/cancel", json: .object(["reason": .string("x"), "why": .string("y")]))
            #expect(extra.status == .unprocessableContent && extra.pointers == ["/why"], "\(extra.text)")
        }
    }
}

extension JSONValue {
    fileprivate var arrayCount: Int? {
        if case .array(let items) = self { return items.count }
        return nil
    }
}
