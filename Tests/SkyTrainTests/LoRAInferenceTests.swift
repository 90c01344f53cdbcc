import Foundation
import SkyModel
import SkyNumericsTestSupport
import SkyTensor
import SkyTrain
import Testing

/// An adapter SkyTrain trains and exports runs through SkyModel's unmerged inference path with the logits of
/// the training forward.
@Suite struct LoRAInferenceTests {
    static let base: URL = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("Fixtures resource folder missing from the test bundle")
        }
        return url.appendingPathComponent("train/base")
    }()

    /// rsLoRA with rank 4 (alpha/√r ≠ alpha/r), every projection adapted.
    static let lora = LoRAConfig(rank: 4, alpha: 6, targets: Set(LoRATarget.allCases), useRSLoRA: true)

    static let sequences: [TrainingSequence] = (0..<6).map { i in
        let ids = (0..<(5 + i % 4)).map { Int32(($0 * 5 + i * 3 + 1) % 11) }
        return TrainingSequence(ids: ids, lossMask: ids.indices.map { $0 >= 2 })
    }

    /// Twelve LoRA steps on the PyTorch-made base, exported as PEFT writes adapters.
    static func trainAndExport(to adapter: URL, backend: any Backend) throws -> (model: CausalLM, trainer: Trainer) {
        let model = try CausalLM.load(directory: base, backend: backend, maxPositions: 16)
        let options = TrainerOptions(adamW: AdamWHyper(lr: 0.05), schedule: LRSchedule(.constant, totalSteps: 12), seed: 3)
        var trainer = Trainer(config: model.config, weights: model.weights, mode: .lora(lora), options: options, backend: backend, maxPositions: 16)
        for _ in 0..<12 { _ = try trainer.step([sequences]) }
        try PEFTAdapter.write(parameters: trainer.parameters, layout: trainer.layout, lora: lora, baseModel: base.path,
                              backend: backend, to: adapter)
        return (model, trainer)
    }

    @Test func exportedAdapterGivesTheTrainingForwardsLogitsUnmerged() throws {
        let backend = BLASBackend(threads: 1)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sky-lora-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (model, trainer) = try Self.trainAndExport(to: directory, backend: backend)
        let training = backend.toArray(try trainer.model.forward(Self.sequences, weights: trainer.weights, adapters: trainer.adapters).logits)
        let baseLogits = backend.toArray(try trainer.model.forward(Self.sequences, weights: trainer.weights).logits)

        let adapter = try LoRAAdapter.load(directory: directory, model: model.config, backend: backend)
        #expect(adapter.scaling == 3)  // 6 / √4
        let adapted = try CausalLM(config: model.config, weights: model.weights, adapter: adapter, backend: backend, maxPositions: 16)
        let batch = Self.sequences.map { ($0.inputIds, adapted.makeCache(capacity: 16)) }
        let inference = backend.toArray(try adapted.forward(batch, allLogits: true))
        #expect(inference.count == training.count)
        // The training forward batches six sequences, inference runs each through its cache: two float32 forwards
        // (hidden 8, intermediate 12, q width 16, up to 8 positions) within twice the forward's bound of each other.
        let worst = Float32Bounds.largestDifference(inference, training)
        let tolerance = 2 * Float32Bounds.forwardPass(layers: model.config.numHiddenLayers, longestSum: 16) * Float32Bounds.scale(training)
        #expect(worst <= tolerance, "largest difference \(worst), more than \(tolerance)")
        // The adapter must matter, or the comparison proves nothing.
        let moved = zip(training, baseLogits).map { abs($0 - $1) }.max() ?? 0
        #expect(moved > 0.05, "trained adapter changes logits by only \(moved)")

        if let out = ProcessInfo.processInfo.environment["SKY_WRITE_LORA_FIXTURE"] {
            // scripts/fixtures/make_lora_fixtures.py runs PEFT on exactly these files.
            let root = URL(fileURLWithPath: out), fm = FileManager.default
            try? fm.removeItem(at: root)
            try fm.createDirectory(at: root, withIntermediateDirectories: true)
            try fm.copyItem(at: Self.base, to: root.appendingPathComponent("base"))
            try fm.copyItem(at: directory, to: root.appendingPathComponent("adapter"))
        }
    }
}
