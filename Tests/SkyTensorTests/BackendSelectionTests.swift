import Foundation
import SkyTensor
import Testing

/// The "no GPU here" path: which backend a spec's choice runs on, and what a user is told when CUDA cannot start.
/// These run real `dlopen` calls; they prove the driver lookup and its messages, not any CUDA computation.
@Suite struct BackendSelectionTests {
    /// A folder that holds no libcuda.so.1, so SKY_CUDA_LIB_DIR points at nothing.
    private func emptyDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sky-nocuda-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func blasAndItsOldNameRunOnBLASWithoutANote() throws {
        for choice in ["blas", "cpu"] {
            let (backend, note) = try BackendSelection.make(choice, threads: 1)
            #expect(backend.name == "blas" && note == nil)
        }
    }

    @Test func cudaFailsNamingTheDriverAndHowToPointSkyAtIt() throws {
        let directory = try emptyDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let error = #expect(throws: BackendUnavailable.self) {
            try BackendSelection.make("cuda", environment: ["SKY_CUDA_LIB_DIR": directory.path])
        }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("backend cuda: "))
        // Where the dynamic loader finds no driver either (every CI host), the message says what was tried and what to set.
        if message.contains("cannot load") {
            #expect(message.contains(directory.appendingPathComponent("libcuda.so.1").path) && message.contains("SKY_CUDA_LIB_DIR"))
        }
    }

    @Test func autoFallsBackToBLASAndSaysWhy() throws {
        let directory = try emptyDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let (backend, note) = try BackendSelection.make("auto", environment: ["SKY_CUDA_LIB_DIR": directory.path])
        #expect(backend.name == "blas")
        #expect(note?.hasPrefix("auto: running on BLAS because backend cuda: ") == true, "\(note ?? "nil")")
    }

    /// A library at SKY_CUDA_LIB_DIR/libcuda.so.1 is loaded from there: here a copy of another shared library stands
    /// in for the driver, which proves the lookup order only.
    @Test func aDriverInSKY_CUDA_LIB_DIRIsFoundFirst() throws {
        // The smallest shared library this process mapped, from /proc/self/maps: any loadable library would do.
        let maps = try String(contentsOfFile: "/proc/self/maps", encoding: .utf8)
        let libraries = Set(maps.split(separator: "\n").compactMap { line -> String? in
            guard let path = line.split(separator: " ").last, path.hasPrefix("/"), path.contains(".so") else { return nil }
            return String(path)
        })
        func size(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? .max }
        let library = try #require(libraries.min { size($0) < size($1) }, "no shared library in /proc/self/maps")
        let directory = try emptyDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(atPath: library, toPath: directory.appendingPathComponent("libcuda.so.1").path)
        let error = #expect(throws: BackendUnavailable.self) {
            try BackendSelection.make("cuda", environment: ["SKY_CUDA_LIB_DIR": directory.path])
        }
        // The stand-in loads, so what is reported next is the next thing missing (NVRTC or cuBLAS where no toolkit is
        // installed, else the driver's first symbol), never the driver itself.
        let message = error?.description ?? ""
        #expect(!message.contains("cannot load the CUDA driver"), "\(message)")
        #expect(message.contains("NVRTC") || message.contains("cuBLAS") || message.contains("has no symbol cuGetErrorName"), "\(message)")
    }

    @Test func anUnknownChoiceIsAnError() {
        #expect(throws: BackendUnavailable.self) { try BackendSelection.make("tpu") }
    }
}
