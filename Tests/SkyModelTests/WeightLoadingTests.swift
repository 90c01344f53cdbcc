import Foundation
import SkyModel
import SkyTensor
import Testing

@Suite struct WeightLoadingTests {
    @Test func missingAndMisshapenWeightsAreNamed() throws {
        let source = try SafetensorsFile(path: FixtureFiles.url("qwen-tied/model.safetensors").path)
        var entries: [SafetensorsWriter.Entry] = []
        for name in source.tensorNames where name != "model.norm.weight" && name != "model.layers.1.self_attn.k_proj.bias" {
            var shape = source.info(name)!.shape
            if name == "model.layers.0.mlp.up_proj.weight" { shape = shape.reversed() }
            entries.append(.init(name: name, shape: shape, values: try source.floats(name)))
        }
        let folder = try FixtureFiles.temporaryDirectory()
        try SafetensorsWriter.write(entries, to: folder.appendingPathComponent("model.safetensors"))
        try FileManager.default.copyItem(at: FixtureFiles.url("qwen-tied/config.json"), to: folder.appendingPathComponent("config.json"))
        #expect(throws: ModelConfigError.missingWeights(["model.layers.1.self_attn.k_proj.bias", "model.norm.weight"])) {
            try CausalLM.load(directory: folder, backend: BLASBackend(threads: 1))
        }
        entries.append(.init(name: "model.norm.weight", shape: [64], values: Array(repeating: 1, count: 64)))
        entries.append(.init(name: "model.layers.1.self_attn.k_proj.bias", shape: [32], values: Array(repeating: 0, count: 32)))
        try SafetensorsWriter.write(entries, to: folder.appendingPathComponent("model.safetensors"))
        #expect(throws: ModelConfigError.misshapenWeights(["model.layers.0.mlp.up_proj.weight: expected [96, 64], found [64, 96]"])) {
            try CausalLM.load(directory: folder, backend: BLASBackend(threads: 1))
        }
    }

    @Test func tiedModelUsesTheEmbeddingAsLmHead() throws {
        let model = try ModelFixture(name: "qwen-tied").model()
        #expect(model.weights.lmHead.storage === model.weights.embedding.storage)
        let untied = try ModelFixture(name: "qwen-untied").model()
        #expect(untied.weights.lmHead.storage !== untied.weights.embedding.storage)
    }

    @Test(arguments: ModelFixture.names)
    func parameterCountMatchesTransformers(_ name: String) throws {
        let model = try ModelFixture(name: name).model()
        let reference = try FixtureFiles.json("\(name)/reference.json") as? [String: Any]
        #expect(model.weights.parameterCount(config: model.config) == reference?["parameters"] as? Int)
    }
}
