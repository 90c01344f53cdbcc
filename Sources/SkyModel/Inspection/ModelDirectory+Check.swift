public import Foundation
public import SkyTensor

extension ModelDirectory {
    /// Throws `ModelDirectoryError` unless `directory` exists and holds a config.json.
    public static func checkExists(_ directory: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) else {
            throw ModelDirectoryError.notFound(path: directory.path)
        }
        guard isDirectory.boolValue, FileManager.default.fileExists(atPath: directory.appendingPathComponent("config.json").path) else {
            throw ModelDirectoryError.notAModelDirectory(path: directory.path)
        }
    }

    /// Loads model and tokenizer from `directory`, naming the directory and file in any error.
    public static func load(_ directory: URL, backend: any Backend, maxPositions: Int? = nil, matrices: DType = .float32) throws
        -> (model: CausalLM, tokenizer: Tokenizer) {
        try checkExists(directory)
        let model: CausalLM
        do { model = try CausalLM.load(directory: directory, backend: backend, maxPositions: maxPositions, matrices: matrices) } catch {
            throw ModelDirectoryError.invalidFile(path: directory.path, problem: "\(error)")
        }
        let tokenizer: Tokenizer
        do { tokenizer = try Tokenizer(contentsOf: directory) } catch {
            throw ModelDirectoryError.invalidFile(path: directory.appendingPathComponent("tokenizer.json").path, problem: "\(error)")
        }
        return (model, tokenizer)
    }
}
