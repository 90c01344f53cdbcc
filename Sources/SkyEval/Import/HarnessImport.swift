public import Foundation
public import SkyCore

/// One problem of an imported file: its gold answer and every output the harness generated for it.
public struct ImportedProblem: Sendable, Hashable {
    /// The harness's problem id, as text.
    public var id: String
    /// The gold answer.
    public var gold: String
    /// The problem's level, when the file has one.
    public var level: String?
    /// The outputs, in the harness's order (their sample indices).
    public var outputs: [ImportedOutput]
}

/// One generated output and the harness's own verdict on it.
public struct ImportedOutput: Sendable, Hashable {
    /// The whole generated text.
    public var text: String
    /// The harness's verdict; nil when the file gives none for this output.
    public var harnessCorrect: Bool?
    /// The answer the harness extracted, when the file has it.
    public var harnessAnswer: String?
    /// Completion tokens, when the file has them.
    public var outputTokens: Int?
}

/// What was wrong with an import file, and where: the file, the line (JSONL) or key (JSON), and the field.
public struct HarnessImportError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file's name as the user gave it.
    public var file: String
    /// The 1-based line, for line-oriented formats.
    public var line: Int?
    /// The field, as a JSON pointer within the line or file ("/code/2").
    public var field: String?
    /// What was wrong.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int? = nil, field: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let field { place += ": field \(field)" }
        return "\(place): \(message)"
    }
}

/// Reads another harness's per-sample outputs into `ImportedProblem`s, checking every field it uses, so that a
/// malformed file is refused whole with the line and field that are wrong.
public struct HarnessImport: Sendable {
    /// The file's format.
    public var format: HarnessFormat
    /// The file's name in messages.
    public var fileName: String
    /// lm-eval only: the metric field holding each sample's verdict; nil tries exact_match, math_verify, acc.
    public var metric: String?
    /// skythought only: the field holding the gold answer; nil tries answer, final_answer, expected_answer, gt.
    public var goldField: String?

    /// A reader for `format`.
    public init(format: HarnessFormat, fileName: String, metric: String? = nil, goldField: String? = nil) {
        self.format = format
        self.fileName = fileName
        self.metric = metric
        self.goldField = goldField
    }

    /// The problems in `data`, in file order. Every problem must have the same number of outputs (a run's n).
    public func read(_ data: Data) throws(HarnessImportError) -> [ImportedProblem] {
        let problems: [ImportedProblem]
        switch format {
        case .qwenMath: problems = try lines(data, qwenMath)
        case .lmEval: problems = try lines(data, lmEval)
        case .skythought: problems = try skythought(data)
        }
        guard let first = problems.first else { throw HarnessImportError(file: fileName, "no records: the file is empty") }
        let n = first.outputs.count
        if let odd = problems.first(where: { $0.outputs.count != n }) {
            throw HarnessImportError(file: fileName, field: nil,
                                     "problem '\(odd.id)' has \(odd.outputs.count) outputs but problem '\(first.id)' has \(n); "
                                     + "every problem of a run needs the same number of samples")
        }
        return problems
    }

    // MARK: Line-oriented formats

    private func lines(_ data: Data, _ parse: (JSONValue, Int) throws(HarnessImportError) -> ImportedProblem)
        throws(HarnessImportError) -> [ImportedProblem] {
        var problems: [ImportedProblem] = []
        var seen: [String: Int] = [:]
        var lineNumber = 0
        for raw in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let bytes = raw.last == UInt8(ascii: "\r") ? raw.dropLast() : raw
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            let value: JSONValue
            do {
                value = try JSONValue.parse(Data(bytes))
            } catch {
                throw HarnessImportError(file: fileName, line: lineNumber, "not valid JSON (\(Self.reason(error)))")
            }
            guard case .object = value else { throw HarnessImportError(file: fileName, line: lineNumber, "expected a JSON object") }
            let problem = try parse(value, lineNumber)
            if let earlier = seen[problem.id] {
                throw HarnessImportError(file: fileName, line: lineNumber, field: "/\(format == .lmEval ? "doc_id" : "idx")",
                                         "problem id '\(problem.id)' already appeared on line \(earlier)")
            }
            seen[problem.id] = lineNumber
            problems.append(problem)
        }
        return problems
    }

    private func qwenMath(_ line: JSONValue, _ number: Int) throws(HarnessImportError) -> ImportedProblem {
        let id = try identifier(line["idx"], line: number, field: "/idx")
        let gold = try answerText(line["gt"], line: number, field: "/gt")
        let outputs = try strings(line["code"], line: number, field: "/code")
        let verdicts = try optionalVerdicts(line["score"], count: outputs.count, line: number, field: "/score")
        let preds = try optionalAnswers(line["pred"], count: outputs.count, line: number, field: "/pred")
        return ImportedProblem(
            id: id, gold: gold, level: level(line["level"]),
            outputs: outputs.indices.map { ImportedOutput(text: outputs[$0], harnessCorrect: verdicts?[$0], harnessAnswer: preds?[$0]) })
    }

    private func lmEval(_ line: JSONValue, _ number: Int) throws(HarnessImportError) -> ImportedProblem {
        let id = try identifier(line["doc_id"], line: number, field: "/doc_id")
        let gold = try answerText(line["target"], line: number, field: "/target")
        guard case .array(let requests)? = line["resps"], !requests.isEmpty else {
            throw HarnessImportError(file: fileName, line: number, field: "/resps", "expected a non-empty array of response lists")
        }
        var outputs: [String] = []
        for (r, request) in requests.enumerated() {
            switch request {
            case .string(let text): outputs.append(text)
            case .array(let texts):
                for (i, text) in texts.enumerated() {
                    guard let text = text.stringValue else {
                        throw HarnessImportError(file: fileName, line: number, field: "/resps/\(r)/\(i)", "expected a string")
                    }
                    outputs.append(text)
                }
            default: throw HarnessImportError(file: fileName, line: number, field: "/resps/\(r)", "expected a list of strings")
            }
        }
        guard !outputs.isEmpty else { throw HarnessImportError(file: fileName, line: number, field: "/resps", "has no outputs") }
        // A per-problem metric over several outputs judges a vote, not each sample: it is only kept for one output.
        var verdict: Bool?
        let key = metric ?? ["exact_match", "math_verify", "acc"].first { line[$0] != nil }
        if let key {
            guard let value = line[key] else {
                throw HarnessImportError(file: fileName, line: number, field: "/\(key)", "metric field is missing")
            }
            switch value {
            case .number(let score): verdict = score > 0.5
            case .bool(let flag): verdict = flag
            default: throw HarnessImportError(file: fileName, line: number, field: "/\(key)", "expected a number or a boolean")
            }
        }
        var filtered: [String]?
        if case .array(let values)? = line["filtered_resps"] {
            filtered = values.map { $0.stringValue ?? String(decoding: $0.encoded(), as: UTF8.self) }
        }
        let level = line["doc"]?["level"]
        return ImportedProblem(id: id, gold: gold, level: self.level(level), outputs: outputs.indices.map { index in
            ImportedOutput(text: outputs[index], harnessCorrect: outputs.count == 1 ? verdict : nil,
                           harnessAnswer: filtered.flatMap { $0.count == outputs.count ? $0[index] : nil })
        })
    }

    // MARK: skythought evaluate

    private func skythought(_ data: Data) throws(HarnessImportError) -> [ImportedProblem] {
        let document: JSONValue
        do {
            document = try JSONValue.parse(data)
        } catch {
            throw HarnessImportError(file: fileName, "not valid JSON (\(Self.reason(error)))")
        }
        guard case .object(let byID) = document else {
            throw HarnessImportError(file: fileName, "expected a JSON object keyed by problem id (skythought evaluate's results.json)")
        }
        var problems: [ImportedProblem] = []
        for id in byID.keys.sorted(by: Self.naturalOrder) {
            let pointer = "/" + id.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
            let record = byID[id]!
            guard case .object = record else { throw HarnessImportError(file: fileName, field: pointer, "expected an object") }
            let keys = goldField.map { [$0] } ?? ["answer", "final_answer", "expected_answer", "gt"]
            guard let key = keys.first(where: { record[$0] != nil && record[$0] != .null }) else {
                throw HarnessImportError(file: fileName, field: pointer,
                                         "no gold answer (looked for \(keys.joined(separator: ", ")); name it with --gold-field)")
            }
            let gold = try answerText(record[key], line: nil, field: pointer + "/" + key)
            guard case .array(let responses)? = record["responses"], !responses.isEmpty else {
                throw HarnessImportError(file: fileName, field: pointer + "/responses", "expected a non-empty array of responses")
            }
            var usages: [JSONValue] = []
            if case .array(let list)? = record["token_usages"] { usages = list }
            var outputs: [ImportedOutput] = []
            for (index, response) in responses.enumerated() {
                guard let content = response["content"]?.stringValue else {
                    throw HarnessImportError(file: fileName, field: "\(pointer)/responses/\(index)/content", "expected a string")
                }
                var correct: Bool?
                switch response["correctness"] {
                case nil, .null?: correct = nil
                case .bool(let flag)?: correct = flag
                case .number(let score)?: correct = score > 0.5
                default:
                    throw HarnessImportError(file: fileName, field: "\(pointer)/responses/\(index)/correctness", "expected a boolean")
                }
                let tokens = index < usages.count ? usages[index]["completion_tokens"]?.numberValue.map { Int($0) } : nil
                outputs.append(ImportedOutput(text: content, harnessCorrect: correct, harnessAnswer: nil, outputTokens: tokens))
            }
            problems.append(ImportedProblem(id: id, gold: gold, level: level(record["level"]), outputs: outputs))
        }
        return problems
    }

    // MARK: Fields

    private func fail(_ line: Int?, _ field: String, _ message: String) -> HarnessImportError {
        HarnessImportError(file: fileName, line: line, field: field, message)
    }

    private func identifier(_ value: JSONValue?, line: Int, field: String) throws(HarnessImportError) -> String {
        switch value {
        case .number(let number)? where number == number.rounded() && abs(number) < 1e15: return String(Int64(number))
        case .string(let text)? where !text.isEmpty: return text
        case nil: throw fail(line, field, "required field is missing")
        default: throw fail(line, field, "expected an integer or a non-empty string")
        }
    }

    /// A gold answer as text: a string, a number, or a list of them (OlympiadBench's multi-answer golds) joined by commas.
    private func answerText(_ value: JSONValue?, line: Int?, field: String) throws(HarnessImportError) -> String {
        switch value {
        case .string(let text)?: return text
        case .number(let number)?: return number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .array(let items)? where !items.isEmpty:
            var parts: [String] = []
            for (index, item) in items.enumerated() { parts.append(try answerText(item, line: line, field: "\(field)/\(index)")) }
            return parts.joined(separator: ", ")
        case nil: throw fail(line, field, "required field is missing")
        default: throw fail(line, field, "expected a string, a number or a list of them")
        }
    }

    private func strings(_ value: JSONValue?, line: Int, field: String) throws(HarnessImportError) -> [String] {
        guard let value else { throw fail(line, field, "required field is missing") }
        guard case .array(let items) = value, !items.isEmpty else { throw fail(line, field, "expected a non-empty array of strings") }
        var texts: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item.stringValue else { throw fail(line, "\(field)/\(index)", "expected a string") }
            texts.append(text)
        }
        return texts
    }

    private func optionalVerdicts(_ value: JSONValue?, count: Int, line: Int, field: String) throws(HarnessImportError) -> [Bool]? {
        guard let value, value != .null else { return nil }
        guard case .array(let items) = value else { throw fail(line, field, "expected an array of booleans") }
        guard items.count == count else { throw fail(line, field, "has \(items.count) verdicts for \(count) outputs") }
        var verdicts: [Bool] = []
        for (index, item) in items.enumerated() {
            switch item {
            case .bool(let flag): verdicts.append(flag)
            case .number(let score): verdicts.append(score > 0.5)
            default: throw fail(line, "\(field)/\(index)", "expected a boolean")
            }
        }
        return verdicts
    }

    private func optionalAnswers(_ value: JSONValue?, count: Int, line: Int, field: String) throws(HarnessImportError) -> [String]? {
        guard case .array(let items)? = value, items.count == count else { return nil }
        return items.map { $0.stringValue ?? String(decoding: $0.encoded(), as: UTF8.self) }
    }

    private func level(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: text
        case .number(let number)?: number == number.rounded() ? String(Int64(number)) : String(number)
        default: nil
        }
    }

    /// "2" before "10": problem ids are usually numbers written as keys.
    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        if let x = Int(a), let y = Int(b) { return x < y }
        return a < b
    }

    private static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error {
            return (context.underlyingError.map { "\($0)" } ?? context.debugDescription)
        }
        return "\(error)"
    }
}
