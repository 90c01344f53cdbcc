import Foundation
import SkyModel
import SkyTensor
import SkyTrain
import Testing

/// Issue 5's end-to-end check: a model SkyTrain fine-tunes from random init on a small question → answer task,
/// written out as a Hugging Face directory, greedy-generates the task's answers through SkyModel's Generator.
@Suite struct TrainedModelGenerationTests {
    /// A ChatML-shaped vocabulary: digits 0–9 are tokens 0–9; 11 is <|im_end|>, 12 "<|im_start|>user",
    /// 13 "<|im_start|>assistant" (10, <|endoftext|>, never appears).
    static let end: Int32 = 11, user: Int32 = 12, assistant: Int32 = 13
    /// Narrow MLP and two heads: debug builds spend their time in exp (SwiGLU, softmax), not in the GEMMs.
    static let config = ModelConfig(modelType: .qwen2, vocabSize: 14, hiddenSize: 64, intermediateSize: 32, numHiddenLayers: 2,
                                    numAttentionHeads: 2, numKeyValueHeads: 1, headDim: 8, rmsNormEps: 1e-6, ropeTheta: 10_000,
                                    tieWordEmbeddings: false, maxPositionEmbeddings: 16)

    /// "a b" → a + b, for a, b in 0..<5: 25 records, one user turn and one assistant turn each.
    struct Record {
        let a: Int32, b: Int32
        var prompt: [Int32] { [user, a, b, end, assistant] }
        var answer: [Int32] { [a + b, end] }
        /// The whole conversation, loss on the assistant's reply and its end-of-turn only.
        var sequence: TrainingSequence {
            TrainingSequence(ids: prompt + answer, lossMask: prompt.map { _ in false } + answer.map { _ in true })
        }
    }

    static let records = (0..<5).flatMap { a in (0..<5).map { Record(a: Int32(a), b: Int32($0)) } }

    /// The fraction of records whose greedy reply is exactly the answer and end-of-turn.
    static func accuracy(_ model: CausalLM) throws -> Double {
        let results = try Generator(model: model).generate(records.map(\.prompt), parameters: .greedy(maxNewTokens: 4, stopTokens: [end]))
        return Double(zip(records, results).filter { $0.answer == $1.tokens && $1.finishReason == .stop }.count) / Double(records.count)
    }

    @Test func aModelTrainedOnATaskGeneratesItsAnswers() throws {
        let backend = BLASBackend(threads: 1)
        let initial = try ModelWeights.random(config: Self.config, seed: 11, backend: backend)
        #expect(try Self.accuracy(CausalLM(config: Self.config, weights: initial, backend: backend)) < 0.1)

        // 50 full-batch steps reach 96% (40 reach 92%, 60 reach 100%); deterministic: one thread, fixed seeds.
        let steps = 50
        let options = TrainerOptions(adamW: AdamWHyper(lr: 5e-3), schedule: LRSchedule(.constant, totalSteps: steps, warmup: .steps(5)))
        var trainer = Trainer(config: Self.config, weights: initial, mode: .full, options: options, backend: backend, maxPositions: 16)
        var loss = Double.infinity
        for _ in 0..<steps { loss = try trainer.step([Self.records.map(\.sequence)]).loss }

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-trained-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        try ModelDirectory.write(config: Self.config, weights: trainer.weights, backend: backend, to: directory)
        let trained = try CausalLM.load(directory: directory, backend: backend)
        let accuracy = try Self.accuracy(trained)
        #expect(accuracy >= 0.9, "greedy accuracy \(accuracy) after \(steps) steps, final loss \(loss)")
    }
}
