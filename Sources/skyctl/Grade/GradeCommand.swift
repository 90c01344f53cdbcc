import ArgumentParser
import Foundation
import SkyEval

/// `skyctl grade`: math grading without a server, one pair from flags or a JSONL file of pairs.
struct GradeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grade",
        abstract: "Grade math answers: extract the final answer, normalise both sides, decide equivalence.",
        discussion: """
        With --gold and --pred, prints the verdict and the normalised forms; --bare says the prediction is a bare \
        answer, read whole as the gold is, rather than a model output searched for its final answer (\\boxed{}, \
        "the answer is", the last math span, the last number). With --jsonl FILE ("-" for stdin), reads {"gold": …, \
        "pred": …} lines ("bare": true for a bare answer) and prints one \
        {"correct":…,"gold":…,"pred":…,"reason":…} line per input line; a count goes to stderr. \
        With --code FILE --tests FILE, runs a Python program (or a model output's last ```python block) against tests \
        in Sky's layout ([{"input","output"}] or {"fn_name","tests":[{"args","expected"}]}) in the code sandbox.
        """
    )

    @Option(help: "The gold answer (LaTeX, delimiters allowed).") var gold: String?
    @Option(help: "The prediction: a whole model output, or with --bare a bare answer.") var pred: String?
    @Flag(help: "The prediction is a bare answer: read it whole, as the gold is, instead of extracting a final answer.")
    var bare = false
    @Option(help: "A JSONL file of {gold, pred} lines, or - for standard input.") var jsonl: String?
    @Option(help: "A Python program, or a model output holding one in a fenced block, to run against --tests.") var code: String?
    @Option(help: "A JSON file of tests in Sky's code layout.") var tests: String?
    @Option(help: "Wall-clock seconds per test (default 6).") var timeLimit: Double?

    func validate() throws {
        if code != nil || tests != nil {
            guard code != nil, tests != nil, gold == nil, pred == nil, jsonl == nil else {
                throw ValidationError("give --code and --tests together, without --gold/--pred/--jsonl")
            }
            return
        }
        guard (jsonl == nil) == (gold != nil && pred != nil), jsonl == nil || (gold == nil && pred == nil) else {
            throw ValidationError("give --gold and --pred, or --jsonl FILE")
        }
    }

    func run() throws {
        if let code, let tests {
            try gradeCode(outputPath: code, testsPath: tests)
            return
        }
        guard let jsonl else {
            let verdict = bare ? Grader.grade(gold: gold!, answer: pred!) : Grader.grade(gold: gold!, prediction: pred!)
            print("correct:   \(verdict.correct)")
            print("gold:      \(verdict.gold)")
            print("pred:      \(verdict.pred)")
            print("extracted: \(verdict.extracted ?? "(none)")")
            print("reason:    \(verdict.reason)")
            return
        }
        let data = jsonl == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: jsonl))
        var graded = 0
        var correct = 0
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true) {
            guard let verdict = GradeBatch.grade(line: String(line)) else { continue }
            print(GradeBatch.encode(verdict))
            graded += 1
            if verdict.correct { correct += 1 }
        }
        FileHandle.standardError.write(Data("graded \(graded) lines, \(correct) correct\n".utf8))
    }

    func gradeCode(outputPath: String, testsPath: String) throws {
        let output = try String(contentsOf: URL(fileURLWithPath: outputPath), encoding: .utf8)
        let codeTests = try JSONDecoder().decode(CodeTests.self, from: Data(contentsOf: URL(fileURLWithPath: testsPath)))
        let grader = CodeGrader(sandbox: try CodeSandbox())
        // A file with no fence is taken as the program itself.
        let verdict = CodeExtractor.lastCodeBlock(in: output) == nil
            ? try grader.grade(code: output, tests: codeTests, timeLimit: timeLimit)
            : try grader.grade(output: output, tests: codeTests, timeLimit: timeLimit)
        print("correct: \(verdict.correct)")
        print("passed:  \(verdict.passed)/\(verdict.total)")
        print("reason:  \(verdict.reason)")
        if !verdict.correct { throw ExitCode(1) }
    }
}
