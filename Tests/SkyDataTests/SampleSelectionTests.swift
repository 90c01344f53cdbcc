import Foundation
import SkyCore
import SkyData
import Testing

/// remove_keywords and wrong_answer change exactly round(r·N) samples, chosen by seed.
@Suite struct SampleSelectionTests {
    /// round(r·N) with halves rounded up, the paper's "a fraction r of samples" made exact.
    private func expected(_ ratio: Double, _ n: Int) -> Int { Int((ratio * Double(n)).rounded(.toNearestOrAwayFromZero)) }

    private func chosen(_ selection: SampleSelection, among indices: [Int]) -> [Int] { indices.filter(selection.contains) }

    @Test(arguments: [0, 1, 2, 3, 7, 10, 99, 100, 1000, 4618])
    func exactlyRoundedRatioTimesNAreChosen(n: Int) {
        // Every third record, as if the others had been filtered out before perturbation.
        let indices = (0..<n).map { 3 * $0 + 1 }
        for ratio in [0, 0.2, 0.33, 0.5, 0.67, 1] {
            for seed in 0..<4 as Range<UInt64> {
                let selection = SampleSelection(ratio: ratio, of: indices, seed: seed, position: 2)
                #expect(chosen(selection, among: indices).count == expected(ratio, n), "r=\(ratio) N=\(n) seed=\(seed)")
            }
        }
    }

    @Test func halvesRoundUpAndOtherFractionsToTheNearest() {
        #expect(chosen(SampleSelection(ratio: 0.5, of: 0..<3, seed: 1, position: 0), among: Array(0..<3)).count == 2)
        #expect(chosen(SampleSelection(ratio: 0.2, of: 0..<4618, seed: 1, position: 0), among: Array(0..<4618)).count == 924)
    }

    @Test func theSameSeedAndPositionChooseTheSameSamples() {
        let indices = Array(0..<500)
        let a = SampleSelection(ratio: 0.33, of: indices, seed: 7, position: 1)
        let b = SampleSelection(ratio: 0.33, of: indices.reversed(), seed: 7, position: 1)
        #expect(chosen(a, among: indices) == chosen(b, among: indices))
    }

    @Test func otherSeedsAndPositionsChooseOtherSamples() {
        let indices = Array(0..<500)
        let base = chosen(SampleSelection(ratio: 0.5, of: indices, seed: 7, position: 1), among: indices)
        #expect(base != chosen(SampleSelection(ratio: 0.5, of: indices, seed: 8, position: 1), among: indices))
        #expect(base != chosen(SampleSelection(ratio: 0.5, of: indices, seed: 7, position: 2), among: indices))
        // Spread over the file rather than bunched at one end.
        let firstHalf = base.filter { $0 < 250 }.count
        #expect(firstHalf > 100 && firstHalf < 150)
    }

    @Test func thePipelineSelectsExactlyRoundedRatioOfTheSamplesItKeeps() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-selection-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var records = RandomTraces.records(seed: 12, count: 137)
        for i in stride(from: 0, to: 137, by: 10) { records[i].extra["correct"] = .bool(false) }  // 14 dropped
        records[5] = records[6]  // one duplicate
        let input = directory.appendingPathComponent("input.jsonl")
        var writer = try DatasetWriter(url: input, format: .sharegpt, layout: .jsonl)
        for record in records { try writer.write(record) }
        _ = try writer.finish()

        func run(seed: UInt64) async throws -> (written: Int, selected: [[Int]], totals: [Int?]) {
            let spec = PerturbSpec(
                dataset: .init(path: input.path),
                perturbations: [.init(.removeKeywords, ratio: 0.33), .init(.shuffle, ratio: 0.5), .init(.wrongAnswer, ratio: 0.5)],
                seed: seed, dedupe: true, correctnessField: "correct"
            )
            let samples = directory.appendingPathComponent("samples-\(seed).jsonl")
            let result = try await PerturbationPipeline(spec: spec)
                .run(input: input, output: directory.appendingPathComponent("out-\(seed).jsonl"), sampleStatistics: samples)
            var selected: [[Int]] = [[], [], []]
            for line in try String(contentsOf: samples, encoding: .utf8).split(separator: "\n") {
                let entry = try JSONValue.parse(Data(line.utf8))
                guard case .array(let effects)? = entry["perturbations"], let index = entry["index"]?.numberValue else { continue }
                for (position, effect) in effects.enumerated() where effect["samplesSelected"]?.numberValue == 1 {
                    selected[position].append(Int(index))
                }
            }
            return (result.manifest.records["written"] ?? 0, selected, result.manifest.statistics.map { $0.totals["samplesSelected"] })
        }
        let first = try await run(seed: 3), again = try await run(seed: 3), other = try await run(seed: 4)
        #expect(first.written == 122)
        #expect(first.selected[0].count == expected(0.33, 122) && first.totals[0] == expected(0.33, 122))
        #expect(first.selected[2].count == expected(0.5, 122) && first.totals[2] == expected(0.5, 122))
        #expect(first.selected == again.selected)
        #expect(first.selected[0] != other.selected[0] && first.selected[2] != other.selected[2])
        #expect(other.selected[0].count == expected(0.33, 122))
    }
}
