import Foundation
import SkyModel
import Testing

@Suite struct SafetensorsRoundTripTests {
    let entries = [
        SafetensorsWriter.Entry(name: "b.weight", shape: [2, 3], values: [1, -2, 3.5, 0, 1e-3, -7]),
        SafetensorsWriter.Entry(name: "a.bias", shape: [3], values: [0.25, 100, -0.5]),
        SafetensorsWriter.Entry(name: "scalar", shape: [], values: [42]),
    ]

    func writeAndOpen(dtype: SafetensorsDType, metadata: [String: String] = [:]) throws -> (SafetensorsFile, Data) {
        let url = try FixtureFiles.temporaryDirectory().appendingPathComponent("t.safetensors")
        try SafetensorsWriter.write(entries, to: url, dtype: dtype, metadata: metadata)
        return (try SafetensorsFile(path: url.path), try Data(contentsOf: url))
    }

    @Test func float32RoundTripsExactlyWithMetadata() throws {
        let (file, _) = try writeAndOpen(dtype: .f32, metadata: ["format": "pt"])
        #expect(file.tensorNames == ["a.bias", "b.weight", "scalar"])
        #expect(file.metadata == ["format": "pt"])
        for entry in entries {
            #expect(try file.floats(entry.name) == entry.values)
            #expect(file.info(entry.name)?.shape == entry.shape)
        }
    }

    @Test func headerIsPaddedSoDataStartsOnAnEightByteBoundary() throws {
        let (_, data) = try writeAndOpen(dtype: .f32)
        let length = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        #expect(length % 8 == 0)
        #expect(Int(length) + 8 + 4 * 10 == data.count)
    }

    @Test func bfloat16KeepsTheTopSixteenBitsRoundedToNearestEven() throws {
        let (file, _) = try writeAndOpen(dtype: .bf16)
        #expect(file.info("b.weight")?.dtype == .bf16)
        #expect(try file.floats("a.bias") == [0.25, 100, -0.5])  // exactly representable
        let thousandth = try file.floats("b.weight")[4]
        #expect(thousandth != 1e-3 && abs(thousandth - 1e-3) < 1e-5)
    }

    @Test func float16IsWidenedIncludingSubnormalsAndInfinity() throws {
        // Hand-written file: F16 values 1.0, -2.0, smallest subnormal, +inf.
        let halves: [UInt16] = [0x3C00, 0xC000, 0x0001, 0x7C00]
        var header = #"{"h":{"dtype":"F16","shape":[4],"data_offsets":[0,8]}}"#
        while (header.utf8.count) % 8 != 0 { header += " " }
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(Data(header.utf8))
        for h in halves { withUnsafeBytes(of: h.littleEndian) { data.append(contentsOf: $0) } }
        let url = try FixtureFiles.temporaryDirectory().appendingPathComponent("h.safetensors")
        try data.write(to: url)
        #expect(try SafetensorsFile(path: url.path).floats("h") == [1, -2, 0x1p-24, .infinity])
    }

    @Test func readsTheCheckpointTransformersWrote() throws {
        let file = try SafetensorsFile(path: FixtureFiles.url("qwen-tied/model.safetensors").path)
        #expect(file.info("model.embed_tokens.weight")?.shape == [549, 64])
        #expect(file.info("model.layers.0.self_attn.q_proj.bias")?.dtype == .f32)
        let llama = try SafetensorsFile(path: FixtureFiles.url("llama/model.safetensors").path)
        #expect(llama.info("lm_head.weight")?.dtype == .bf16)
    }

    @Test func shardedCheckpointServesEveryTensorOfItsIndex() throws {
        let source = try ShardedCheckpoint.open(modelDirectory: FixtureFiles.url("qwen-untied").path)
        #expect(source is ShardedCheckpoint)
        #expect(source.tensorNames.contains("lm_head.weight"))
        #expect(try source.floats("model.norm.weight").count == 64)
        #expect(throws: SafetensorsError.self) { try source.floats("no.such.tensor") }
    }
}
