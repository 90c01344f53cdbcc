import Foundation
import SkyModel
import SkyTensor
import Testing

/// An adapter Sky's trainer produced, loaded by PEFT on Sky's base model, gives Sky's logits — unmerged and
/// merged (scripts/fixtures/make_lora_fixtures.py made Fixtures/lora).
@Suite struct LoRAPEFTReferenceTests {
    static let backend = BLASBackend(threads: 1)

    struct Reference {
        let inputs: [[Int32]]
        let base: [[Float]], peft: [[Float]], merged: [[Float]]
    }

    static func reference() throws -> Reference {
        let json = try #require(try FixtureFiles.json("lora/peft_logits.json") as? [String: Any])
        func logits(_ key: String) throws -> [[Float]] {
            try #require(json[key] as? [[[Double]]]).map { $0.flatMap { $0.map(Float.init) } }
        }
        let inputs = try #require(json["inputs"] as? [[Int]]).map { $0.map(Int32.init) }
        return Reference(inputs: inputs, base: try logits("base"), peft: try logits("peft"), merged: try logits("merged"))
    }

    /// Logits (T, V) of every position of each input, each sequence on its own.
    static func logits(_ model: CausalLM, _ inputs: [[Int32]]) throws -> [[Float]] {
        try inputs.map { ids in backend.toArray(try model.forward([(ids, model.makeCache(capacity: ids.count))], allLogits: true)) }
    }

    static func worst(_ a: [[Float]], _ b: [[Float]]) -> Float {
        zip(a, b).map { ModelFixture.worstRelativeError($0, $1) }.max() ?? .infinity
    }

    /// Sky's logits of every input against PyTorch's, within the float32 forward's bound: nil, or what differs.
    static func disagreement(_ sky: [[Float]], _ reference: [[Float]], inputs: [[Int32]], config: ModelConfig) -> String? {
        guard sky.count == reference.count else { return "\(sky.count) inputs against \(reference.count)" }
        for (index, (a, b)) in zip(sky, reference).enumerated() {
            let tolerance = ModelFixture.tolerance(config, positions: inputs[index].count)
            if let problem = ModelFixture.disagreement(a, b, tolerance: tolerance) { return "input \(index): \(problem)" }
        }
        return nil
    }

    @Test func unmergedAdapterReproducesPEFTsLogits() throws {
        let reference = try Self.reference()
        let root = FixtureFiles.url("lora")
        let base = try CausalLM.load(directory: root.appendingPathComponent("base"), backend: Self.backend)
        #expect(Self.disagreement(try Self.logits(base, reference.inputs), reference.base, inputs: reference.inputs, config: base.config) == nil)
        let adapted = try CausalLM.load(directory: root.appendingPathComponent("base"), adapter: root.appendingPathComponent("adapter"),
                                        backend: Self.backend)
        let sky = try Self.logits(adapted, reference.inputs)
        let disagreement = Self.disagreement(sky, reference.peft, inputs: reference.inputs, config: base.config)
        #expect(disagreement == nil, "\(disagreement ?? "")")
        // The trained adapter moves PEFT's logits far beyond the tolerance, so matching the base would fail.
        #expect(Self.worst(reference.base, reference.peft) > 0.05)
    }

    @Test func mergedModelReproducesPEFTsMergedLogits() throws {
        let reference = try Self.reference()
        let root = FixtureFiles.url("lora"), output = try FixtureFiles.temporaryDirectory().appendingPathComponent("merged")
        defer { try? FileManager.default.removeItem(at: output.deletingLastPathComponent()) }
        let summary = try ModelMerge.merge(model: root.appendingPathComponent("base"), adapter: root.appendingPathComponent("adapter"),
                                           output: output, force: false, backend: Self.backend)
        #expect(summary.dtype == .f32 && summary.mergedProjections == 2 * 7)
        let merged = try CausalLM.load(directory: output, backend: Self.backend)
        #expect(merged.adapter == nil)
        let sky = try Self.logits(merged, reference.inputs)
        for expected in [reference.merged, reference.peft] {
            let disagreement = Self.disagreement(sky, expected, inputs: reference.inputs, config: merged.config)
            #expect(disagreement == nil, "\(disagreement ?? "")")
        }
    }
}
