import SkyCore

/// The math layouts users already have on disk, each mapped to a `BenchmarkProblem`.
enum MathLayouts {
    /// AI-MO/aimo-validation-aime (`id, problem, answer`) or Maxwell-Jia/AIME_2024 (`ID, Problem, Answer`).
    static func aime(_ record: BenchmarkRecord) throws(BenchmarkError) -> BenchmarkProblem {
        if record.fields["ID"] != nil || record.fields["Problem"] != nil {
            return BenchmarkProblem(id: try record.text("ID"), problem: try record.string("Problem"), answer: try record.text("Answer"))
        }
        return BenchmarkProblem(id: try record.text("id"), problem: try record.string("problem"), answer: try record.text("answer"))
    }

    /// AI-MO/aimo-validation-amc: answers are floats (27.0), normalised to "27".
    static func amc(_ record: BenchmarkRecord) throws(BenchmarkError) -> BenchmarkProblem {
        BenchmarkProblem(id: try record.text("id"), problem: try record.string("problem"), answer: try record.text("answer"))
    }

    /// HuggingFaceH4/MATH-500: `unique_id` is the id ("test/precalculus/807.json"); `level` is 1…5.
    static func math500(_ record: BenchmarkRecord) throws(BenchmarkError) -> BenchmarkProblem {
        BenchmarkProblem(id: try record.text("unique_id"), problem: try record.string("problem"), answer: try record.text("answer"),
                         level: try record.optionalText("level"), subject: try record.optionalString("subject"))
    }

    /// Hothan/OlympiadBench: `final_answer` is a list of strings, usually wrapped in `$…$`. Several answers are joined
    /// as a set `\{a, b\}` when `is_multiple_answer` is true (order does not matter), otherwise as a tuple `(a, b)`.
    static func olympiad(_ record: BenchmarkRecord) throws(BenchmarkError) -> BenchmarkProblem {
        let question = try record.string("question")
        let context = try record.optionalString("context")
        guard case .array(let items)? = record.fields["final_answer"] else {
            throw record.error("final_answer", record.fields["final_answer"] == nil ? "missing" : "expected a list of strings")
        }
        var answers: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item.stringValue ?? item.numberValue.map(BenchmarkRecord.numberText) else {
                throw record.error("final_answer", "item \(index) is \(BenchmarkRecord.kind(of: item)), expected a string")
            }
            answers.append(stripDollars(text))
        }
        guard !answers.isEmpty else { throw record.error("final_answer", "empty list") }
        var multiple = false
        if let flag = record.fields["is_multiple_answer"], flag != .null {
            guard case .bool(let value) = flag else { throw record.error("is_multiple_answer", "expected a boolean") }
            multiple = value
        }
        let answer = answers.count == 1 ? answers[0]
            : multiple ? "\\{" + answers.joined(separator: ", ") + "\\}" : "(" + answers.joined(separator: ", ") + ")"
        let problem = context.map { $0 + "\n\n" + question } ?? question
        return BenchmarkProblem(id: try record.text("id"), problem: problem, answer: answer,
                                subject: try record.optionalString("subfield"))
    }

    static func stripDollars(_ text: String) -> String {
        var answer = text.trimmingASCIIWhitespace()
        while answer.count >= 2, answer.hasPrefix("$"), answer.hasSuffix("$") {
            answer = String(answer.dropFirst().dropLast()).trimmingASCIIWhitespace()
        }
        return answer
    }
}
