import Foundation
import SkyModel
import SkyTensor
import SkyTrain
import Testing

/// Sky's optimizer steps against PyTorch + PEFT (scripts/fixtures/make_train_fixtures.py): losses, grad
/// norms, learning rates and gradients of chosen tensors at every step, and the trained weights.
@Suite struct TrainReferenceTests {
    static let root: URL = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            fatalError("Fixtures resource folder missing from the test bundle")
        }
        return url.appendingPathComponent("train")
    }()

    /// `padded` is full fine-tuning on one micro-batch of three sequences of different lengths, which Sky pads
    /// into one batch and PyTorch runs one by one: padding must change nothing.
    @Test(arguments: ["full", "lora", "padded"])
    func optimizerStepsReproducePyTorch(run: String) throws {
        let backend = BLASBackend(threads: 1)
        let maxPositions = run == "padded" ? 64 : 16
        let base = try CausalLM.load(directory: Self.root.appendingPathComponent("base"), backend: backend, maxPositions: maxPositions)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: Self.root.appendingPathComponent("reference.json"))) as? [String: Any]
        let settings = try #require((json?["runs"] as? [String: Any])?[run] as? [String: Any])
        let number = { (key: String) in (settings[key] as? NSNumber)?.doubleValue ?? .nan }
        let options = TrainerOptions(adamW: AdamWHyper(lr: Float(number("lr")), weightDecay: Float(number("weight_decay"))), maxGradNorm: 1,
                                     schedule: LRSchedule(.cosine, totalSteps: Int(number("total_steps")), warmup: .steps(Int(number("warmup_steps")))))
        let mode: TrainingMode = run != "lora" ? .full : .lora(LoRAConfig(rank: Int(number("r")), alpha: Float(number("alpha"))))
        var trainer = Trainer(config: base.config, weights: base.weights, mode: mode, options: options, backend: backend,
                              maxPositions: maxPositions)
        if run == "lora" {
            // PEFT draws A from torch's generator; start from the very same adapter.
            let initial = try SafetensorsFile(path: Self.root.appendingPathComponent("lora-initial.safetensors").path)
            for entry in trainer.layout.entries {
                backend.copy(trainer.layout.view(of: entry.name, in: trainer.parameters),
                             backend.tensor(try initial.floats(entry.name), shape: entry.shape))
            }
        }
        let sequence = { (mb: [String: [Int]]) in
            TrainingSequence(inputIds: (mb["input_ids"] ?? []).map(Int32.init), labels: (mb["labels"] ?? []).map(Int32.init))
        }
        let batches = run == "padded"
            ? [try #require(json?["padded_micro_batch"] as? [[String: [Int]]]).map(sequence)]
            : try #require(json?["micro_batches"] as? [[String: [Int]]]).map { [sequence($0)] }
        let reference = try SafetensorsFile(path: Self.root.appendingPathComponent("reference.safetensors").path)
        let steps = try #require(settings["steps"] as? [[String: Double]])
        for (k, expected) in steps.enumerated() {
            let result = try trainer.step(batches)
            let loss = expected["loss"] ?? .nan, norm = expected["grad_norm"] ?? .nan, lr = expected["lr"] ?? .nan
            #expect(abs(result.loss - loss) <= 1e-4 * loss, "step \(k) loss \(result.loss) vs \(loss)")
            #expect(abs(Double(result.gradNorm) - norm) <= 1e-4 * norm, "step \(k) grad norm \(result.gradNorm) vs \(norm)")
            #expect(abs(Double(result.learningRate) - lr) <= 1e-6 * max(lr, 1e-3), "step \(k) lr \(result.learningRate) vs \(lr)")
            try expectTensors(prefix: "\(run).step\(k).", in: reference, match: trainer.gradients, layout: trainer.layout, backend: backend)
        }
        try expectTensors(prefix: "\(run).final.", in: reference, match: trainer.parameters, layout: trainer.layout, backend: backend)
    }

    @Test func loraLayoutNamesAreExactlyTheKeysPEFTSaves() throws {
        let base = try ModelConfig(contentsOf: Self.root.appendingPathComponent("base"))
        let peft = try SafetensorsFile(path: Self.root.appendingPathComponent("lora-initial.safetensors").path)
        let layout = ParameterLayout.lora(config: base, lora: LoRAConfig(rank: 2, alpha: 4))
        #expect(layout.entries.map(\.name).sorted() == peft.tensorNames)
        #expect(layout.entries.allSatisfy { peft.info($0.name)?.shape == $0.shape })
    }

    /// Every reference tensor named `prefix` + name equals `name`'s view of `buffer` within 1e-4 of its largest entry.
    private func expectTensors(prefix: String, in reference: SafetensorsFile, match buffer: Tensor, layout: ParameterLayout,
                               backend: any Backend) throws {
        let names = reference.tensorNames.filter { $0.hasPrefix(prefix) }
        #expect(!names.isEmpty, "no reference tensors under \(prefix)")
        for key in names {
            let name = String(key.dropFirst(prefix.count))
            let expected = try reference.floats(key), got = backend.toArray(layout.view(of: name, in: buffer))
            let scale = expected.map(abs).max() ?? 0
            let worst = zip(got, expected).map { abs($0 - $1) }.max() ?? 0
            #expect(worst <= 1e-4 * scale, "\(key): worst difference \(worst) against largest \(scale)")
        }
    }
}
