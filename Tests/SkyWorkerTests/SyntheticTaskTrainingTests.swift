import Foundation
import SkyCore
import SkyData
import SkyJobs
import SkyModel
import SkyTrain
import Testing

/// The tiny model learns the synthetic task: the same session a train job runs, without a server.
@Suite struct SyntheticTaskTrainingTests {
    @Test func fullFineTuningDrivesTheLossFarBelowItsStartAndBelowAUnigramModel() throws {
        let fixture = try TrainFixture(records: 64)
        defer { fixture.remove() }
        let spec = try TrainSpec.decodeValidated(from: JSONValue.object([
            "baseModel": .object(["path": .string(fixture.model.path)]), "dataset": .object(["path": .string(fixture.dataset.path)]),
            "mode": .string("full"), "seed": .number(1), "threads": .number(1), "evalFraction": .number(0.125),
            "optimization": .object([
                "learningRate": .number(0.01), "maxSteps": .number(30), "microBatchSize": .number(4), "warmupSteps": .number(3),
            ]),
        ]).encoded())
        var session = try TrainSession(spec: spec, modelDirectory: fixture.model, datasetFile: fixture.dataset)
        let before = try #require(try session.run.evaluate())
        var losses: [Double] = []
        let summary = try session.run.run(observer: TrainingObserver(step: { losses.append($0.loss) }))
        let after = try #require(summary.finalEvalLoss)
        // A random model starts near ln(vocabulary).
        #expect(abs(before - log(Double(session.config.vocabSize))) < 0.5, "held-out loss before training \(before)")
        #expect(after < 0.45 * before, "held-out loss \(before) → \(after); training losses \(losses)")
        // Below the best any model can do that ignores context: it learned how the reply follows from the prompt.
        let unigram = try Self.unigramEntropy(fixture)
        #expect(after < unigram, "held-out loss \(after), unigram entropy of the label tokens \(unigram)")
    }

    /// Entropy (nats) of the label tokens' own frequencies over the whole dataset: the loss of the best
    /// context-free predictor, measured on the data it was fitted to (so a lower bound for such a model).
    static func unigramEntropy(_ fixture: TrainFixture) throws -> Double {
        let tokenizer = try Tokenizer(contentsOf: fixture.model.appendingPathComponent("tokenizer.json"))
        let encoder = SequenceEncoder(tokenizer: tokenizer, maxLength: 4096)
        var reader = try DatasetReader(url: fixture.dataset)
        var counts: [Int32: Int] = [:]
        while let entry = try reader.next() {
            let messages = [ChatMessage(role: "user", content: entry.record.question ?? ""),
                            ChatMessage(role: "assistant", content: entry.record.response ?? "")]
            let sequence = try encoder.encode(messages).get().sequence
            for target in sequence.shiftedTargets where target != LossMask.ignore { counts[target, default: 0] += 1 }
        }
        let total = Double(counts.values.reduce(0, +))
        return -counts.values.reduce(0) { $0 + Double($1) / total * log(Double($1) / total) }
    }
}
