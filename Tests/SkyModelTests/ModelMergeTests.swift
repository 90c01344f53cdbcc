import Foundation
import SkyModel
import SkyNumericsTestSupport
import SkyTensor
import Testing

/// `ModelMerge` (skyctl model merge): the merged directory runs as base + adapter did, keeps the base's dtype
/// and files, and refuses adapters that do not fit and outputs it would clobber.
@Suite struct ModelMergeTests {
    static let backend = BLASBackend(threads: 1)
    static let ids: [Int32] = [3, 17, 250, 9, 480, 1, 77]

    func lastLogits(_ model: CausalLM) throws -> [Float] {
        Self.backend.toArray(try model.forward([(Self.ids, model.makeCache(capacity: Self.ids.count))], allLogits: true))
    }

    /// The merged W + s·B·A is rounded once more than the unmerged path's products: γ_{r+2} in float32 (rank 3), the
    /// unit roundoff 2⁻¹¹ where the merged weights are stored in float16.
    @Test(arguments: [("qwen-untied", Float32Bounds.gamma(5)), ("qwen-f16", 0x1p-11), ("qwen-tied", Float32Bounds.gamma(5))])
    func mergedModelGivesTheUnmergedLogitsInTheBaseDtype(fixture: String, weightRounding: Double) throws {
        let work = try FixtureFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let base = FixtureFiles.url(fixture), adapter = work.appendingPathComponent("adapter"), output = work.appendingPathComponent("merged")
        try RandomAdapter(rank: 3, alpha: 12, targets: [.q, .k, .o, .up, .down], seed: 9).write(for: try ModelConfig(contentsOf: base), to: adapter)
        let summary = try ModelMerge.merge(model: base, adapter: adapter, output: output, force: false, backend: Self.backend)
        let unmerged = try lastLogits(try CausalLM.load(directory: base, adapter: adapter, backend: Self.backend, maxPositions: 32))
        let merged = try lastLogits(try CausalLM.load(directory: output, backend: Self.backend, maxPositions: 32))
        let plain = try lastLogits(try CausalLM.load(directory: base, backend: Self.backend, maxPositions: 32))
        let config = try ModelConfig(contentsOf: base)
        let tolerance = ModelFixture.tolerance(config, positions: Self.ids.count, weightRounding: weightRounding)
        let disagreement = ModelFixture.disagreement(merged, unmerged, tolerance: tolerance)
        #expect(disagreement == nil, "\(disagreement ?? "")")
        // The adapter matters, or the comparison proves nothing.
        #expect(ModelFixture.disagreement(plain, unmerged, tolerance: 10 * tolerance) != nil)
        let file = try SafetensorsFile(path: output.appendingPathComponent("model.safetensors").path)
        let expectedDType: SafetensorsDType = fixture == "qwen-f16" ? .f16 : .f32
        #expect(summary.dtype == expectedDType && file.info("model.layers.0.self_attn.q_proj.weight")?.dtype == expectedDType)
        #expect(summary.copiedFiles.contains("generation_config.json") && summary.mergedProjections == 10)
        #expect(try Data(contentsOf: output.appendingPathComponent("config.json")) == Data(contentsOf: base.appendingPathComponent("config.json")))
    }

    @Test func anAdapterThatDoesNotFitIsRefusedAndNothingIsWritten() throws {
        let work = try FixtureFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let adapter = work.appendingPathComponent("adapter"), output = work.appendingPathComponent("merged")
        // Made for qwen (2 KV heads), applied to llama (1 KV head): k_proj's B is [32, r], llama needs [16, r].
        try RandomAdapter(targets: [.k]).write(for: try ModelConfig(contentsOf: FixtureFiles.url("qwen-untied")), to: adapter)
        #expect(throws: LoRAAdapterError.misshapen(key: "base_model.model.model.layers.0.self_attn.k_proj.lora_B.weight",
                                                   found: [32, 2], expected: [16, 2])) {
            try ModelMerge.merge(model: FixtureFiles.url("llama"), adapter: adapter, output: output, force: false, backend: Self.backend)
        }
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("model.safetensors").path))
    }

    @Test func aNonEmptyOutputIsRefusedUnlessForced() throws {
        let work = try FixtureFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let base = FixtureFiles.url("qwen-untied"), adapter = work.appendingPathComponent("adapter"), output = work.appendingPathComponent("out")
        try RandomAdapter().write(for: try ModelConfig(contentsOf: base), to: adapter)
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: output.appendingPathComponent("notes.txt"))
        try Data("stale".utf8).write(to: output.appendingPathComponent("model-00001-of-00002.safetensors"))
        #expect(throws: ModelDirectoryError.self) {
            try ModelMerge.merge(model: base, adapter: adapter, output: output, force: false, backend: Self.backend)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).sorted() == ["model-00001-of-00002.safetensors", "notes.txt"])
        _ = try ModelMerge.merge(model: base, adapter: adapter, output: output, force: true, backend: Self.backend)
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: output.path))
        #expect(files == ["notes.txt", "config.json", "generation_config.json", "model.safetensors"])
        _ = try CausalLM.load(directory: output, backend: Self.backend, maxPositions: 32)
    }
}
