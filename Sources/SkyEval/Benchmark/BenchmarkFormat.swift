/// The field layouts Sky reads benchmarks in; see `docs/benchmarks.md` for each layout's required fields.
public enum BenchmarkFormat: String, Sendable, Codable, CaseIterable {
    /// Sky's own: `{id, problem, answer, level?, subject?}` or `{id, problem, tests, time_limit?, starter_code?}`.
    case sky
    /// AI-MO/aimo-validation-aime (`id, problem, solution, answer, url`) or Maxwell-Jia/AIME_2024 (`ID, Problem, Solution, Answer`).
    case aime2024
    /// AI-MO/aimo-validation-amc: `id, problem, answer` (a float such as 27.0), `url`.
    case amc2023
    /// HuggingFaceH4/MATH-500: `problem, solution, answer, subject, level, unique_id`.
    case math500
    /// Hothan/OlympiadBench (open-ended): `id, question, final_answer` (a list), `is_multiple_answer`, `subfield`, `context`.
    case olympiadbench
    /// livecodebench/code_generation_lite: `question_id, question_content, starter_code, difficulty,
    /// public_test_cases, private_test_cases, metadata`.
    case livecodebench

    /// The layout a record's field names imply, or nil when they fit none.
    ///
    /// AIME and AMC files from AI-MO share field names; AIME's carry a `solution`, AMC's do not.
    public static func detect(fields: Set<String>) -> BenchmarkFormat? {
        if fields.isSuperset(of: ["question_id", "question_content"]) { return .livecodebench }
        if fields.isSuperset(of: ["question", "final_answer"]) { return .olympiadbench }
        if fields.isSuperset(of: ["unique_id", "problem", "answer"]) { return .math500 }
        if fields.isSuperset(of: ["ID", "Problem", "Answer"]) { return .aime2024 }
        if fields.isSuperset(of: ["id", "problem", "answer", "url"]) {
            return fields.contains("solution") ? .aime2024 : .amc2023
        }
        if fields.isSuperset(of: ["id", "problem"]), fields.contains("answer") || fields.contains("tests") { return .sky }
        return nil
    }

    /// Parses a format name as written in job specs and on the command line ("math500", "MATH-500", "lcb", …).
    public init?(name: String) {
        let key = name.lowercased().filter { $0.isLetter || $0.isNumber }
        switch key {
        case "sky": self = .sky
        case "aime2024", "aime", "aime24": self = .aime2024
        case "amc2023", "amc", "amc23": self = .amc2023
        case "math500", "math": self = .math500
        case "olympiadbench", "olympiad": self = .olympiadbench
        case "livecodebench", "lcb": self = .livecodebench
        default: return nil
        }
    }
}
