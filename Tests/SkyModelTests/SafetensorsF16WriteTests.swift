import Foundation
import SkyModel
import Testing

/// F16 output (merging into an F16 base keeps its dtype): values round to the nearest half and read back.
@Suite struct SafetensorsF16WriteTests {
    @Test func f16TensorsRoundTripThroughTheNearestHalf() throws {
        let values: [Float] = [0, 1, -2.5, 65504, 1e-8, 0.1, 3.14159, -1e6]
        let data = try SafetensorsWriter.encode([SafetensorsWriter.Entry(name: "w", shape: [2, 4], values: values)], dtype: .f16)
        let directory = try FixtureFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("w.safetensors")
        try data.write(to: url)
        let file = try SafetensorsFile(path: url.path)
        #expect(file.info("w")?.dtype == .f16 && file.info("w")?.shape == [2, 4])
        // Half precision: 65504 is the largest finite half, 1e-8 underflows to 0, -1e6 overflows to -inf.
        #expect(try file.floats("w") == [0, 1, -2.5, 65504, 0, 0.099975586, 3.140625, -.infinity])
    }
}
