import ArgumentParser
import Foundation
import SkyModel
import SkyTensor
import SkyTrain

/// `skyctl bench parity`: a backend against the BLAS backend in one process — every op forward and backward, whole
/// training steps, greedy generation — with stated bounds; exits non-zero when anything is outside them.
struct ParityBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parity",
        abstract: "Check a backend (cuda by default) against the BLAS backend on this machine: ops, training steps, generation.",
        discussion: """
        (a) Every op of the Backend protocol, forward and backward, on random inputs (BackendParity), each within \
        4·γ(n + 16) of the BLAS result relative to its scale, n the longest sum behind an output; on CUDA twice, with \
        float32 products and with bf16 products (on inputs bf16 holds exactly, so the bound is the same). (b) --steps \
        full fine-tuning and LoRA steps of the `small` preset with random weights on random tokens, the loss curves \
        within --loss-tolerance of BLAS's, relative (default 1e-3, or 2e-2 where products round their inputs to bf16). \
        (c) Greedy generation from four prompts: the teacher-forced logits within --logit-tolerance of BLAS's, relative \
        to their scale (default 1e-4, or 3e-2 with bf16 products), and the tokens identical up to the first step whose \
        top two logits are within that tolerance of each other (past a near tie the last bits decide). Exit status 1 \
        when any check fails. scripts/gpu/selftest.sh runs this on a GPU.
        """
    )

    @Option(help: "The backend to check: cuda, auto or blas (blas against itself checks the command).") var backend = "cuda"
    @Option(help: "Op sizes: small or large (multi-block paths, a 32,000-token vocabulary).") var size = "large"
    @Option(help: "Training steps per mode.") var steps = 20
    @Option(help: "Largest relative difference allowed between the loss curves (default: 1e-3, 2e-2 with bf16 products).")
    var lossTolerance: Double?
    @Option(help: "Largest difference allowed between teacher-forced logits, relative to their scale (default: 1e-4, 3e-2 with bf16 products).")
    var logitTolerance: Double?
    @Option(help: "BLAS threads for the reference.") var threads: Int?
    @Flag(help: "Print one JSON object instead of text.") var json = false

    func validate() throws {
        guard BackendParity.Size(rawValue: size) != nil else { throw ValidationError("--size \(size): expected small or large") }
        guard steps > 0, (lossTolerance ?? 1) > 0, (logitTolerance ?? 1) > 0 else {
            throw ValidationError("--steps and the tolerances must be positive")
        }
    }

    func run() throws {
        let reference = BLASBackend(threads: threads)
        let (candidate, note) = try BackendSelection.make(backend, threads: threads)
        if let note { FileHandle.standardError.write(Data("skyctl: \(note)\n".utf8)) }
        var report: [String: Any] = ["backend": candidate.name, "device": candidate.device.description,
                                     "reference": reference.device.description]
        var failures = 0
        func say(_ line: String) { if !json { print(line) } }
        say("parity of \(candidate.name) on \(candidate.device) against blas on \(reference.device)")

        // On CUDA the ops run with float32 products and again with bf16 products (the backend's default).
        var runs: [(label: String, backend: any Backend, bf16: Bool)] = [("", candidate, false)]
        let bf16Products = (candidate as? CUDABackend)?.products == .bfloat16
        if let cuda = candidate as? CUDABackend {
            runs = [("float32 products: ", try CUDABackend(driver: cuda.driver, products: .float32), false), ("bf16 products: ", cuda, true)]
        }
        var ops: [[String: Any]] = []
        for run in runs {
            for check in BackendParity.checks(BackendParity.Size(rawValue: size)!, bf16Products: run.bf16) {
                let outcome = BackendParity.compare(check, reference: reference, candidate: run.backend)
                if !outcome.passed { failures += 1 }
                say(run.label + outcome.description)
                ops.append(["name": run.label + outcome.name, "difference": outcome.difference, "bound": outcome.bound,
                            "passed": outcome.passed, "problems": outcome.problems])
            }
        }
        report["ops"] = ops
        let lossTolerance = self.lossTolerance ?? (bf16Products ? 2e-2 : 1e-3)
        let logitTolerance = self.logitTolerance ?? (bf16Products ? 3e-2 : 1e-4)

        let config = ModelPreset.named("small")!.config(modelType: .qwen2, vocabularySize: 2048)
        var training: [String: Any] = [:]
        for mode in [TrainingMode.full, .lora(LoRAConfig(rank: 16, dropout: 0.05))] {
            let name = if case .full = mode { "full" } else { "lora" }
            let expected = try lossCurve(config: config, mode: mode, backend: reference)
            let actual = try lossCurve(config: config, mode: mode, backend: candidate)
            let worst = zip(expected, actual).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
            let passed = worst <= lossTolerance && actual.count == expected.count
            if !passed { failures += 1 }
            say("\(passed ? "ok  " : "FAIL") \(steps) \(name) steps: loss \(fmt(expected.first)) → \(fmt(expected.last)) on blas, "
                + "\(fmt(actual.first)) → \(fmt(actual.last)) here; largest relative difference \(String(format: "%.3g", worst)) ≤ \(lossTolerance)")
            training[name] = ["blas": expected, "candidate": actual, "worst": worst, "passed": passed]
        }
        report["training"] = training

        let generation = try compareGeneration(config: config, reference: reference, candidate: candidate, tolerance: logitTolerance)
        if !generation.passed { failures += 1 }
        say(generation.line)
        report["generation"] = generation.json
        report["failures"] = failures
        if json {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(failures == 0 ? "all checks passed" : "\(failures) check(s) failed")
        }
        if failures > 0 { throw ExitCode(1) }
    }

    private func fmt(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "-" }

    /// `steps` steps on random tokens from seeded random weights, the same on every backend.
    private func lossCurve(config: ModelConfig, mode: TrainingMode, backend: any Backend) throws -> [Double] {
        var rng = SeededGenerator(seed: 11)
        let batch = (0..<4).map { _ in
            TrainingSequence(inputIds: (0..<128).map { _ in Int32.random(in: 0..<Int32(config.vocabSize), using: &rng) })
        }
        var trainer = Trainer(config: config, weights: try ModelWeights.random(config: config, seed: 3, backend: backend), mode: mode,
                              options: TrainerOptions(adamW: AdamWHyper(lr: 1e-3, weightDecay: 0.01),
                                                      schedule: LRSchedule(.constant, totalSteps: steps), seed: 5),
                              backend: backend, maxPositions: 128)
        return try (0..<steps).map { _ in try trainer.step([batch]).loss }
    }

    /// Teacher-forced logits and greedy tokens of both backends from four prompts.
    private func compareGeneration(config: ModelConfig, reference: any Backend, candidate: any Backend, tolerance logitTolerance: Double) throws
        -> (passed: Bool, line: String, json: [String: Any]) {
        let prompts: [[Int32]] = (0..<4).map { p in (0..<(8 + 5 * p)).map { Int32(($0 * 131 + p * 17) % config.vocabSize) } }
        let newTokens = 32
        func model(_ backend: any Backend) throws -> CausalLM {
            CausalLM(config: config, weights: try ModelWeights.random(config: config, seed: 3, backend: backend), backend: backend,
                     maxPositions: 128)
        }
        let expectedModel = try model(reference), actualModel = try model(candidate)
        let expected = try Generator(model: expectedModel).generate(prompts, parameters: .greedy(maxNewTokens: newTokens))
        let actual = try Generator(model: actualModel).generate(prompts, parameters: .greedy(maxNewTokens: newTokens))
        var worst = 0.0, decidedSteps = 0, agreeing = 0
        for (index, (prompt, result)) in zip(prompts, expected).enumerated() {
            // Teacher forcing along BLAS's continuation: both backends see the same inputs at every step.
            let input = prompt + result.tokens.dropLast()
            let rows = { (m: CausalLM) throws -> [Float] in
                m.backend.toArray(try m.forward([(input, m.makeCache(capacity: input.count))], allLogits: true))
            }
            let a = try rows(expectedModel), b = try rows(actualModel)
            let scale = max(1, a.reduce(0) { max($0, Double(abs($1))) })
            worst = max(worst, zip(a, b).reduce(0) { max($0, Double(abs($1.0 - $1.1))) } / scale)
            // Steps up to the first near tie must pick the same token.
            var decided = 0
            for step in 0..<result.tokens.count {
                let row = a[((prompt.count - 1 + step) * config.vocabSize)..<((prompt.count + step) * config.vocabSize)]
                let top = row.sorted(by: >)
                if Double(top[0] - top[1]) <= logitTolerance * scale { break }
                decided += 1
            }
            decidedSteps += decided
            agreeing += zip(result.tokens.prefix(decided), actual[index].tokens.prefix(decided))
                .prefix { $0 == $1 }.count
        }
        let passed = worst <= logitTolerance && agreeing == decidedSteps
        let line = "\(passed ? "ok  " : "FAIL") greedy generation, 4 prompts × \(newTokens) tokens: logits within "
            + "\(String(format: "%.3g", worst)) ≤ \(logitTolerance) of their scale; \(agreeing) of \(decidedSteps) decided steps agree"
        return (passed, line, ["worst": worst, "decided": decidedSteps, "agreeing": agreeing, "passed": passed])
    }
}
