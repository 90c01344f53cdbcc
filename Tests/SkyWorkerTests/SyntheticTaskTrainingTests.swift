import Foundation
import SkyCore
import SkyData
@testable import SkyJobs
import SkyModel
import SkyTrain
import Testing

/// The tiny model learns the synthetic task: the same session a train job runs, without a server.
@Suite struct SyntheticTaskTrainingTests {
    /// Trains on a thread of its own: minutes of BLAS on the cooperative pool would starve the heartbeats of the
    /// database tests running beside it. Expectations stay here, in the test's task, where they are recorded.
    @Test func fullFineTuningDrivesTheLossFarBelowItsStartAndBelowAUnigramModel() async throws {
        let (vocabulary, before, after, losses, unigram) = try await OwnThread.run { try Self.train() }
        // A random model starts near ln(vocabulary).
        #expect(abs(before - log(Double(vocabulary))) < 0.5, "held-out loss before training \(before)")
        #expect(after < 0.45 * before, "held-out loss \(before) → \(after); training losses \(losses)")
        // Below the best any model can do that ignores context: it learned how the reply follows from the prompt.
        #expect(after < unigram, "held-out loss \(after), unigram entropy of the label tokens \(unigram)")
    }

    /// Vocabulary size, held-out loss before and after, the training losses and the unigram entropy.
    static func train() throws -> (Int, Double, Double, [Double], Double) {
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
        guard let before = try session.run.evaluate() else { throw TrainingRunError.noTrainingData }
        var losses: [Double] = []
        let summary = try session.run.run(observer: TrainingObserver(step: { losses.append($0.loss) }))
        return (session.config.vocabSize, before, summary.finalEvalLoss ?? .nan, losses, try unigramEntropy(fixture))
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
