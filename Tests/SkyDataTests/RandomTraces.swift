import SkyData

/// Random Sky-T1 records for property tests: distinct steps with words and numbers, a boxed answer.
enum RandomTraces {
    static let words = ["the", "sum", "is", "so", "we", "get", "then", "area", "of", "triangle", "x", "and", "check", "value"]

    static func record(_ rng: inout SplitMix64, id: Int, steps: ClosedRange<Int> = 3...14) -> DatasetRecord {
        let count = rng.int(in: steps)
        let thought = (0..<count).map { step in
            let body = (0..<rng.int(in: 3...12)).map { _ in rng.chance(0.3) ? String(rng.int(in: 0...999)) : words[rng.below(words.count)] }
            return "Step \(id)-\(step): " + body.joined(separator: " ") + "."
        }
        let answer = rng.int(in: 1...500)
        let response = "<|begin_of_thought|>\n\n" + thought.joined(separator: "\n\n") + "\n\n<|end_of_thought|>\n\n"
            + "<|begin_of_solution|>\n\nSo the total is \(answer), hence \\boxed{\(answer)}.\n\n<|end_of_solution|>"
        return DatasetRecord(system: "sys", messages: [
            Message(role: .user, content: "Return your final response within \\boxed{}. Question \(id): what is \(rng.int(in: 1...99)) + x?"),
            Message(role: .assistant, content: response),
        ])
    }

    static func records(seed: UInt64, count: Int) -> [DatasetRecord] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { record(&rng, id: $0) }
    }

    static func thought(_ record: DatasetRecord) -> [String] {
        BlankLineSegmenter().segment(ReasoningTrace(parsing: record.response!).thought).steps
    }

    static func solution(_ record: DatasetRecord) -> String? {
        ReasoningTrace(parsing: record.response!).solution
    }
}
