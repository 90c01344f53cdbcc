import SkyClient
import Testing

@Suite struct APIErrorTests {
    func problem(_ status: Int, _ name: String = "x", errors: [Problem.FieldError]? = nil) -> Problem {
        Problem(type: "https://sky.dev/problems/\(name)", title: "Title", status: status, detail: "detail", errors: errors)
    }

    @Test func exitCodesFollowSysexits() {
        #expect(APIError.unreachable(server: "http://127.0.0.1:1", reason: "connection refused").exitCode == 69)
        #expect(APIError.problem(problem(503)).exitCode == 69)
        #expect(APIError.unauthorized(problem(401), tokenSource: .explicit).exitCode == 77)
        #expect(APIError.forbidden(problem(403), tokenSource: .explicit).exitCode == 77)
        #expect(APIError.notFound(problem(404)).exitCode == 66)
        #expect(APIError.problem(problem(400)).exitCode == 65)
        #expect(APIError.problem(problem(422)).exitCode == 65)
        #expect(APIError.problem(problem(409)).exitCode == 1)
        #expect(APIError.checksumMismatch(expected: "a", actual: "b").exitCode == 1)
    }

    @Test func messagesSayWhatToDo() {
        let unreachable = APIError.unreachable(server: "http://127.0.0.1:1", reason: "connection refused").description
        #expect(unreachable.contains("http://127.0.0.1:1") && unreachable.contains("skyd serve"))
        let badToken = APIError.unauthorized(problem(401), tokenSource: .environment("SKY_TOKEN")).description
        #expect(badToken.contains("$SKY_TOKEN"))
        let noToken = APIError.unauthorized(problem(401), tokenSource: .unset(configFile: "/home/u/.config/sky/config.yaml")).description
        #expect(noToken.contains("/home/u/.config/sky/config.yaml") && noToken.contains("--token"))
    }

    @Test func validationProblemsListEachPointer() {
        let invalid = APIError.problem(problem(422, "invalid-spec", errors: [
            Problem.FieldError(pointer: "/spec/durationSeconds", message: "must be at most 86400"),
        ]))
        #expect(invalid.description.contains("/spec/durationSeconds: must be at most 86400"))
        #expect(invalid.problem?.name == "invalid-spec")
        #expect(invalid.status == 422)
    }
}
