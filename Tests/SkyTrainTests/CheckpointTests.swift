import Foundation
import SkyModel
import SkyTensor
import SkyTrain
import Testing

/// A run stopped after a checkpoint and resumed takes exactly the steps the uninterrupted run takes.
@Suite struct CheckpointTests {
    static let options = TrainerOptions(adamW: AdamWHyper(lr: 0.01, weightDecay: 0.1),
                                        schedule: LRSchedule(.cosine, totalSteps: 4, warmup: .steps(1)))

    @Test(arguments: [TrainingMode.full, .lora(LoRAConfig(rank: 2))])
    func resumedRunMatchesTheUninterruptedOne(mode: TrainingMode) throws {
        let tiny = TinyModel()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sky-train-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: file) }
        func trainer(seed: UInt64) -> Trainer {
            var options = Self.options
            options.seed = seed
            return Trainer(config: tiny.config, weights: tiny.parameters().weights, mode: mode, options: options,
                           backend: tiny.backend, maxPositions: 16)
        }
        var straight = trainer(seed: 1)
        for _ in 0..<2 { _ = try straight.step([TinyModel.batch]) }
        try straight.writeCheckpoint(to: file)
        let expected = try straight.step([TinyModel.batch])
        var resumed = trainer(seed: 2)  // another LoRA initialisation, overwritten by the checkpoint
        try resumed.resume(from: file)
        #expect(resumed.optimizer.step == 2)
        let got = try resumed.step([TinyModel.batch])
        #expect(got == expected)
        #expect(tiny.backend.toArray(resumed.parameters) == tiny.backend.toArray(straight.parameters))
    }

    @Test func aCheckpointOfAnotherLayoutIsRejected() throws {
        let tiny = TinyModel()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sky-train-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: file) }
        let q = Trainer(config: tiny.config, weights: tiny.parameters().weights, mode: .lora(LoRAConfig(rank: 2, targets: [.q])),
                        options: Self.options, backend: tiny.backend, maxPositions: 16)
        try q.writeCheckpoint(to: file)
        // Same element count (q and o adapters are both 2·(8 + 16) per layer), different tensors.
        var o = Trainer(config: tiny.config, weights: tiny.parameters().weights, mode: .lora(LoRAConfig(rank: 2, targets: [.o])),
                        options: Self.options, backend: tiny.backend, maxPositions: 16)
        #expect(o.layout.count == q.layout.count)
        #expect(throws: CheckpointMismatch.self) { try o.resume(from: file) }
    }
}
