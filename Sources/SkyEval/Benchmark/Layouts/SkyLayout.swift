import Foundation
import SkyCore

/// Sky's own layout: math `{id, problem, answer, level?, subject?}`; code `{id, problem, tests, time_limit?, starter_code?}`.
enum SkyLayout {
    static func problem(_ record: BenchmarkRecord) throws(BenchmarkError) -> BenchmarkProblem {
        let id = try record.text("id")
        let problem = try record.string("problem")
        let level = try record.optionalText("level")
        let subject = try record.optionalString("subject")
        if let testsValue = record.fields["tests"], testsValue != .null {
            let tests: CodeTests
            do {
                tests = try JSONDecoder().decode(CodeTests.self, from: testsValue.encoded())
            } catch {
                throw record.error("tests", "expected [{\"input\", \"output\"}] or {\"fn_name\", \"tests\": [{\"args\", \"expected\"}]}")
            }
            guard tests.count > 0 else { throw record.error("tests", "no tests") }
            var timeLimit: Double?
            if let limit = record.fields["time_limit"], limit != .null {
                guard let seconds = limit.numberValue, seconds > 0 else { throw record.error("time_limit", "expected a positive number of seconds") }
                timeLimit = seconds
            }
            return BenchmarkProblem(id: id, problem: problem, level: level, subject: subject, tests: tests,
                                    timeLimit: timeLimit, starterCode: try record.optionalString("starter_code"))
        }
        guard record.fields["answer"] != nil else { throw record.error("answer", "missing (a math problem needs \"answer\", a coding problem \"tests\")") }
        return BenchmarkProblem(id: id, problem: problem, answer: try record.text("answer"), level: level, subject: subject)
    }
}
