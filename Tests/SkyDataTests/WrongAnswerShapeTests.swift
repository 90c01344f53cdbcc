import Foundation
import SkyCore
import SkyData
import Testing

/// `wrong_answer` on the answer shapes of MATH500, AIME, AMC and OlympiadBench: every shape gets a wrong answer
/// of its own kind, and an answer no rule can change is counted as unchanged rather than passed off as changed.
@Suite struct WrongAnswerShapeTests {
    /// Real answer shapes and the kind each must be read as.
    static let shapes: [(answer: String, kind: String)] = [
        ("42", "integer"), ("-7", "integer"), ("1,000", "integer"), ("12{,}345", "integer"), ("123456", "integer"),
        ("2432902008176640000000", "integer"), ("1,\\!000", "integer"),
        ("3.25", "decimal"), ("-0.5", "decimal"), ("3.14159", "decimal"), (".5", "decimal"),
        ("\\frac{3}{4}", "fraction"), ("-\\dfrac{1}{2}", "fraction"), ("7/8", "fraction"),
        ("4210_5", "based"), ("4210_{5}", "based"), ("1011_2", "based"), ("(2012)_3", "based"), ("2516_8", "based"),
        ("\\text{A3}_{16}", "based"),
        ("1.5e3", "scientific"), ("3 \\times 10^{8}", "scientific"), ("6.02\\times10^{23}", "scientific"),
        ("2\\sqrt{3}", "expression"), ("30^\\circ", "expression"), ("x^2 + 1", "expression"), ("(1, 2]", "expression"),
        ("\\{1, 2, 3\\}", "expression"), ("50\\%", "expression"), ("\\$1.50", "expression"), ("2\\pi", "expression"),
        ("x \\ge 3", "expression"), ("(3, -4)", "expression"), ("\\frac{\\sqrt{3}}{2}", "expression"), ("6\\text{ cm}^2", "expression"),
        ("\\$32,348", "expression"), ("-2, 2", "expression"), ("\\left( 3, \\frac{\\pi}{2} \\right)", "expression"),
        ("6 - 5i", "expression"), ("\\begin{pmatrix} -5 \\\\ 9 \\end{pmatrix}", "expression"), ("x \\in [-2,7]", "expression"),
        ("(0,9) \\cup (9,36)", "expression"),
        ("C", "choice"), ("(B)", "choice"), ("\\text{(C)}", "choice"), ("\\textbf{(E)}", "choice"), ("(a)", "choice"),
        ("\\text{yes}", "text"), ("No", "text"), ("\\text{odd}", "text"), ("\\text{Monday}", "text"), ("\\text{ even }", "text"),
        ("\\text{east}", "text"),
        ("\\pi", "constant"), ("-\\pi", "constant"), ("\\infty", "constant"), ("-\\infty", "constant"),
        ("x", "variable"), ("P", "variable"), ("\\theta", "variable"),
        ("\\cot x", "function"), ("\\sin\\theta", "function"), ("\\ln x", "function"), ("\\sec x \\tan x", "function"),
        ("p - q", "symbolic"), ("a + b + c", "symbolic"), ("x_1 + x_2", "symbolic"), ("\\frac{a}{b}", "symbolic"),
        ("-\\sqrt{x}", "symbolic"), ("|a - b|", "symbolic"), ("ab", "symbolic"),
        ("a < b", "relation"), ("y = x", "relation"), ("x \\le y \\le z", "relation"), ("y = a - b", "relation"),
        ("(-\\infty, a]", "interval"), ("[a, \\infty)", "interval"), ("(-\\infty, \\infty)", "interval"),
        ("(a, b)", "tuple"), ("\\{a, -b\\}", "set"),
    ]

    /// Answers with no wrong answer of their kind, and the kind they are counted under.
    static let residue: [(answer: String, kind: String)] = [
        ("\\text{Evelyn}", "text"), ("Devon", "text"), ("\\begin{pmatrix} a \\\\ b \\end{pmatrix}", "matrix"),
        ("\\emptyset", "other"), ("a, b", "other"),
    ]

    private static func trace(_ answer: String) -> String {
        "<|begin_of_thought|>\n\nSo we get \(answer) here.\n\nThus \(answer) is it.\n\n<|end_of_thought|>\n\n"
            + "<|begin_of_solution|>\n\nThe answer is \(answer) , i.e. \\boxed{\(answer)}.\n\n<|end_of_solution|>"
    }

    private static func perturb(_ response: String, seed: UInt64) -> (DatasetRecord, SampleEffect) {
        var record = DatasetRecord(messages: [Message(role: .user, content: "q"), Message(role: .assistant, content: response)])
        var rng = SplitMix64(seed: seed)
        let effect = WrongAnswer(selection: .all).apply(to: &record, index: 0, rng: &rng)
        return (record, effect)
    }

    @Test(arguments: shapes)
    func everyShapeGetsAWrongAnswerOfItsKind(answer: String, kind: String) throws {
        for seed in 0..<30 as Range<UInt64> {
            let (record, effect) = Self.perturb(Self.trace(answer), seed: seed)
            #expect(effect.changed)
            #expect(effect.counters["\(kind)Answers"] == 1, "\(answer) read as \(effect.counters.keys.sorted())")
            let new = try #require(BoxedAnswer.last(in: record.response!))
            #expect(new != answer)
            #expect(Self.staysOfItsKind(kind, old: answer, new: new), "\(answer) → \(new)")
            let trace = ReasoningTrace(parsing: record.response!)
            #expect(trace.solution!.contains("The answer is \(new) ,"), "\(answer) → \(new) in \(trace.solution!)")
            #expect(trace.thought.contains("Thus \(new) is it."), "\(answer) → \(new) in \(trace.thought)")
            #expect(trace.thought.contains("So we get \(answer) here."))
        }
    }

    /// Whether `new` is an answer of the same kind as `old` and says something else.
    static func staysOfItsKind(_ kind: String, old: String, new: String) -> Bool {
        let digitsDropped = { (text: String) in text.filter { !$0.isNumber && $0 != "." } }
        switch kind {
        case "integer":
            let plain = { (text: String) in
                ["{,}", "\\!", ","].reduce(text) { $0.replacingOccurrences(of: $1, with: "") }
            }
            // Separators stay when the new value still needs them ("1,000" → "1,007", or "996").
            let separated = !old.contains(",") || new.contains(",") || Int(plain(new))!.magnitude < 1000
            return Int(plain(new)) != nil || plain(new).allSatisfy(\.isNumber) && plain(new) != plain(old) && separated
        case "decimal":
            return Double(new) != nil && new.split(separator: ".").last!.count == old.split(separator: ".").last!.count
        case "fraction":
            return new.contains("frac") || new.contains("/")
        case "based":
            let (oldBody, base) = (old.split(separator: "_")[0], old.split(separator: "_")[1])
            let (newBody, newBase) = (new.split(separator: "_")[0], new.split(separator: "_")[1])
            let radix = Int(base.filter(\.isNumber))!
            let value = { (c: Character) in c.isNumber ? c.wholeNumberValue! : Int(c.asciiValue! | 0x20) - 87 }
            return newBase == base && newBody.count == oldBody.count && newBody != oldBody
                && newBody.filter { $0.isNumber || $0.isUppercase }.allSatisfy { value($0) < radix }
        case "scientific", "expression":
            return digitsDropped(new) == digitsDropped(old)
        case "choice":
            let changed = zip(old, new).filter { $0 != $1 }
            return old.count == new.count && changed.count == 1
                && "ABCDEabcde".contains(changed[0].0) && "ABCDEabcde".contains(changed[0].1)
        case "text":
            let wrapper = { (text: String) in text.contains("{") ? String(text.prefix { $0 != "{" }) : "" }
            return wrapper(new) == wrapper(old) && new.lowercased() != old.lowercased()
        case "constant":
            return ["2\\pi", "-2\\pi", "-\\infty", "\\infty"].contains(new)
        case "variable":
            return (new.count == 1 && new.first!.isLetter && new.first!.isUppercase == old.first!.isUppercase)
                || (new.hasPrefix("\\") && old.hasPrefix("\\"))
        case "function":
            let names = ["\\sin", "\\cos", "\\tan", "\\cot", "\\sec", "\\csc", "\\ln", "\\log"]
            let skeleton = { (text: String) in names.reduce(text) { $0.replacingOccurrences(of: $1, with: "\\f") } }
            return skeleton(new) == skeleton(old)
        case "symbolic":
            let swapped = { (text: String) in String(text.map { $0 == "+" ? "-" : $0 == "-" ? "+" : $0 }) }
            return new == "-" + old || "-" + new == old || new == "-(" + old + ")"
                || (new.count == old.count && zip(new, old).filter { $0 != $1 }.count == 1 && swapped(new) != swapped(old))
        case "relation":
            return new.prefix { !"<>=\\".contains($0) } == old.prefix { !"<>=\\".contains($0) }
        case "interval":
            return new.dropFirst().dropLast() == old.dropFirst().dropLast() || new.hasSuffix(" 0)")
        case "tuple", "set":
            return new.prefix { $0 != "," } == old.prefix { $0 != "," } && new != old
        default:
            return false
        }
    }

    @Test func theSameSeedGivesTheSameWrongAnswer() {
        for (answer, _) in Self.shapes {
            let first = Self.perturb(Self.trace(answer), seed: 3).0
            #expect(first == Self.perturb(Self.trace(answer), seed: 3).0)
            #expect(first.response != Self.trace(answer))
        }
    }

    @Test func aQuantityWithAUnitPowerChangesItsNumberNotThePower() throws {
        for seed in 0..<10 as Range<UInt64> {
            let (record, _) = Self.perturb(Self.trace("6\\text{ cm}^2"), seed: seed)
            let new = try #require(BoxedAnswer.last(in: record.response!))
            #expect(new.hasSuffix("\\text{ cm}^2") && !new.hasPrefix("6\\"), "\(new)")
        }
    }

    @Test(arguments: residue)
    func anAnswerNoRuleCanChangeIsCountedUnchanged(answer: String, kind: String) {
        let response = Self.trace(answer)
        let (record, effect) = Self.perturb(response, seed: 1)
        #expect(record.response == response)
        #expect(!effect.changed)
        #expect(effect.counters["samplesSelected"] == 1)
        #expect(effect.counters["unchangedNoWrongAnswer"] == 1)
        #expect(effect.counters["unchanged\(kind.prefix(1).uppercased() + kind.dropFirst())Answers"] == 1)
        #expect(effect.counters["answersChanged"] == nil)
    }

    @Test func unchangedSamplesAppearInTheStatisticsManifestAndSummary() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-wrong-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let answers = ["12", "4210_5", "\\cot x", "\\text{Evelyn}", "p - q", "\\text{(C)}"]
        let input = directory.appendingPathComponent("in.jsonl")
        var writer = try DatasetWriter(url: input, format: .messages, layout: .jsonl)
        for (index, answer) in answers.enumerated() {
            try writer.write(DatasetRecord(messages: [
                Message(role: .user, content: "question \(index)"), Message(role: .assistant, content: Self.trace(answer)),
            ]))
        }
        _ = try writer.finish()
        let output = directory.appendingPathComponent("out.jsonl")
        let spec = PerturbSpec(dataset: .init(path: input.path), perturbations: [.init(.wrongAnswer, ratio: 1)], seed: 4)
        let statistics = try await PerturbationPipeline(spec: spec).run(input: input, output: output).manifest.statistics[0]
        #expect(statistics.samplesChanged == 5)
        #expect(statistics.totals["samplesSelected"] == 6)
        #expect(statistics.totals["answersChanged"] == 5)
        #expect(statistics.totals["unchangedNoWrongAnswer"] == 1)
        #expect(statistics.totals["unchangedTextAnswers"] == 1)
        let summary = "wrong_answer: 5 of 6 selected answers changed; 1 unchanged: no wrong answer of this kind (text: 1)"
        #expect(statistics.summary == summary)
        let written = try JSONValue.parse(Data(contentsOf: DatasetManifest.url(for: output)))
        guard case .array(let perturbations)? = written["statistics"] else { Issue.record("no statistics in the manifest"); return }
        #expect(perturbations[0]["summary"] == .string(summary))
        #expect(perturbations[0]["totals"]?["unchangedNoWrongAnswer"] == .number(1))
    }

    @Test func summariesCountEveryReasonAndNeverClaimAllWhenSomeWereLeft() {
        var statistics = PerturbationStatistics(name: "wrong_answer", ratio: 1)
        for _ in 0..<394 { statistics.add(SampleEffect(changed: true, counters: ["samplesSelected": 1, "answersChanged": 1])) }
        let residue = SampleEffect(counters: ["samplesSelected": 1, "unchangedNoWrongAnswer": 1, "unchangedOtherAnswers": 1])
        for _ in 0..<5 { statistics.add(residue) }
        statistics.add(SampleEffect(counters: ["samplesSelected": 1, "noBoxedAnswer": 1]))
        #expect(statistics.summary == "wrong_answer: 394 of 400 selected answers changed; "
            + "6 unchanged: 5 no wrong answer of this kind (other: 5), 1 no boxed answer")
        var shuffle = PerturbationStatistics(name: "shuffle", ratio: 1)
        shuffle.add(SampleEffect(changed: true))
        shuffle.add(.untouched)
        #expect(shuffle.summary == "shuffle: 1 of 2 samples changed")
    }

    /// A Sky-T1 trace as the paper's models wrote it: the boxed answer, the Solution's plain mention and the
    /// Thought's conclusion all carry the one wrong answer; mentions that are not the answer stay.
    @Test func skyT1TraceGetsItsAnswerReplacedConsistently() throws {
        let response = """
            <|begin_of_thought|>

            Okay, so I need to write 555 in base 5. The powers of 5 are 1, 5, 25, 125, 625.

            555 = 4·125 + 55, then 55 = 2·25 + 5, and 5 = 1·5 + 0. So the digits are 4, 2, 1, 0.

            Wait, let me check: 4·125 + 2·25 + 1·5 + 0 = 500 + 50 + 5 = 555. Yes. So 555 in base 5 is $4210_5$.

            <|end_of_thought|>

            <|begin_of_solution|>

            Dividing by the powers of 5 gives the digits 4, 2, 1, 0, so $555_{10} = 4210_5$.

            \\[
            \\boxed{4210_5}
            \\]

            <|end_of_solution|>
            """
        for seed in 0..<20 as Range<UInt64> {
            let (record, effect) = Self.perturb(response, seed: seed)
            #expect(effect.counters["basedAnswers"] == 1)
            #expect(effect.counters["mentionsReplaced"] == 3)
            let new = try #require(BoxedAnswer.last(in: record.response!))
            #expect(new != "4210_5" && new.hasSuffix("_5") && new.count == 6)
            let text = record.response!
            #expect(!text.contains("4210_5"))
            #expect(text.contains("So 555 in base 5 is $\(new)$."))
            #expect(text.contains("$555_{10} = \(new)$."))
            #expect(text.contains("\\boxed{\(new)}"))
            #expect(text.contains("So the digits are 4, 2, 1, 0."))
            #expect(text.hasPrefix("<|begin_of_thought|>\n\n") && text.hasSuffix("\n\n<|end_of_solution|>"))
        }
    }

    /// A symbol answer replaces only its own mentions: `\pi` in `2\pi` or `\frac{\pi}{2}` is not the answer.
    @Test func skyT1TraceWithASymbolAnswerLeavesLargerFormulasAlone() throws {
        let response = "<|begin_of_thought|>\n\nThe period of \\sin 2x is \\frac{2\\pi}{2}, which is \\pi. Then \\pi^2 and 2\\pi.\n\n"
            + "<|end_of_thought|>\n\n<|begin_of_solution|>\n\nThe period is \\pi, and \\frac{\\pi}{2} is half of it: \\boxed{\\pi}\n\n"
            + "<|end_of_solution|>"
        let (record, effect) = Self.perturb(response, seed: 1)
        #expect(effect.counters["constantAnswers"] == 1)
        #expect(record.response == "<|begin_of_thought|>\n\nThe period of \\sin 2x is \\frac{2\\pi}{2}, which is 2\\pi. "
            + "Then \\pi^2 and 2\\pi.\n\n"
            + "<|end_of_thought|>\n\n<|begin_of_solution|>\n\nThe period is 2\\pi, and \\frac{\\pi}{2} is half of it: \\boxed{2\\pi}\n\n"
            + "<|end_of_solution|>")
    }
}
