import Foundation
import SkyModel
import SkyTensor
import SkyTrain
import Testing

/// The loop: step counts, eval loss, stopping, and a resumed run that ends exactly where an uninterrupted one does.
@Suite struct TrainingRunTests {
    /// Twelve sequences of 3–8 tokens over the tiny vocabulary, the first two tokens a masked prompt.
    static let sequences: [TrainingSequence] = (0..<12).map { i in
        let ids = (0..<(3 + i % 6)).map { Int32(($0 * 7 + i * 3) % 11) }
        return TrainingSequence(ids: ids, lossMask: ids.indices.map { $0 >= 2 })
    }

    static func options(_ mode: TrainingMode, checkpointEvery: Int = 0) -> TrainingRunOptions {
        TrainingRunOptions(mode: mode, adamW: AdamWHyper(lr: 0.02, weightDecay: 0.01), scheduler: .cosine, warmup: .ratio(0.1),
                           seed: 7, epochs: 3, microBatchSize: 2, accumulation: 2, maxLength: 16, checkpointEvery: checkpointEvery,
                           evalEvery: 2)
    }

    static func run(_ mode: TrainingMode, checkpointEvery: Int = 0) throws -> TrainingRun {
        let tiny = TinyModel()
        return try TrainingRun(config: tiny.config, weights: tiny.parameters().weights, train: Array(sequences.prefix(10)),
                               heldOut: Array(sequences.suffix(2)), options: options(mode, checkpointEvery: checkpointEvery),
                               backend: tiny.backend)
    }

    @Test func epochsDecideTheStepsAndTheLossFalls() throws {
        var run = try Self.run(.full)
        var reports: [StepReport] = []
        let summary = try run.run(observer: TrainingObserver(step: { reports.append($0) }))
        // 10 sequences → 5 micro-batches → 3 steps per epoch.
        #expect(run.totalSteps == 9 && summary.steps == 9 && reports.map(\.step) == Array(1...9))
        #expect(reports.map(\.epoch) == [0, 0, 0, 1, 1, 1, 2, 2, 2])
        #expect(reports.compactMap(\.evalLoss).count == 5)  // steps 2, 4, 6, 8 and the last
        #expect(reports.last!.loss < reports.first!.loss - 0.1, "\(reports.map(\.loss))")
        #expect(summary.tokensSeen == 3 * Self.sequences.prefix(10).reduce(0) { $0 + $1.inputIds.count })
        #expect(summary.finalEvalLoss == reports.last!.evalLoss && summary.trainSequences == 10 && summary.heldOutSequences == 2)
        #expect(reports[0].learningRate == 0 && reports[1].learningRate == 0.02)  // warmup: ceil(0.1 · 9) = 1 step
    }

    @Test(arguments: [TrainingMode.full, .lora(LoRAConfig(rank: 2, dropout: 0.1))])
    func aStoppedRunResumesToTheSameResult(mode: TrainingMode) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sky-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        var straight = try Self.run(mode)
        var expected: [Double] = []
        _ = try straight.run(observer: TrainingObserver(step: { expected.append($0.loss) }))

        struct Stop: Error {}
        var first = try Self.run(mode, checkpointEvery: 2)
        var seen: [Double] = [], checkpoints: [Int] = []
        #expect(throws: Stop.self) {
            try first.run(checkpoints: root, observer: TrainingObserver(
                step: { seen.append($0.loss); if $0.step == 5 { throw Stop() } }, checkpointed: { checkpoints.append($1) }))
        }
        // Every 2 steps, then once more when stopped; only the newest is kept.
        #expect(checkpoints == [2, 4, 5])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["checkpoint-5"])

        var second = try Self.run(mode, checkpointEvery: 2)
        try second.resume(from: try #require(TrainingRun.latestCheckpoint(in: root)))
        #expect(second.state.step == 5)
        let summary = try second.run(checkpoints: root, observer: TrainingObserver(step: { seen.append($0.loss) }))
        #expect(seen == expected)
        #expect(summary.finalLoss == straight.summary.finalLoss && summary.finalEvalLoss == straight.summary.finalEvalLoss)
        #expect(summary.tokensSeen == straight.summary.tokensSeen)
        let backend = second.trainer.model.backend
        #expect(backend.toArray(second.trainer.parameters) == backend.toArray(straight.trainer.parameters))
    }

    @Test func packingFillsStepsByTokensAndStillVisitsEverySequenceOncePerEpoch() throws {
        let tiny = TinyModel()
        var options = Self.options(.full)
        options.packing = true
        options.microBatchSize = 1  // budget: 16 tokens per micro-batch
        var run = try TrainingRun(config: tiny.config, weights: tiny.parameters().weights, train: Array(Self.sequences.prefix(10)),
                                  options: options, backend: tiny.backend)
        var tokens: [Int] = []
        let summary = try run.run(observer: TrainingObserver(step: { tokens.append($0.tokens) }))
        #expect(summary.tokensSeen == 3 * Self.sequences.prefix(10).reduce(0) { $0 + $1.inputIds.count })
        #expect(run.totalSteps == run.plan.stepCount(epochs: 3) && tokens.count == run.totalSteps)
        // Two micro-batches of at most 16 tokens per step.
        #expect(tokens.allSatisfy { $0 <= 32 } && tokens.contains { $0 > 16 })
    }

    @Test func aCheckpointOfAnotherRunIsRejected() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sky-run-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let run = try Self.run(.full)
        let checkpoint = try run.writeCheckpoint(into: root)
        let tiny = TinyModel()
        var other = try TrainingRun(config: tiny.config, weights: tiny.parameters().weights, train: Array(Self.sequences.prefix(9)),
                                    options: Self.options(.full), backend: tiny.backend)
        #expect(throws: TrainingRunError.self) { try other.resume(from: checkpoint) }
    }

    @Test func sequencesLongerThanTheRunAllowsAreRejectedUpFront() {
        let tiny = TinyModel()
        #expect(throws: TrainingRunError.sequenceTooLong(length: 17, maxLength: 16)) {
            try TrainingRun(config: tiny.config, weights: tiny.parameters().weights,
                            train: [TrainingSequence(inputIds: Array(repeating: 1, count: 17))], options: Self.options(.full),
                            backend: tiny.backend)
        }
        #expect(throws: TrainingRunError.noTrainingData) {
            try TrainingRun(config: tiny.config, weights: tiny.parameters().weights, train: [], options: Self.options(.full),
                            backend: tiny.backend)
        }
    }
}
