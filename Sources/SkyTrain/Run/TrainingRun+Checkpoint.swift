public import Foundation

extension TrainingRun {
    /// Directory names are `checkpoint-<step>`, as Hugging Face's Trainer names them.
    static let checkpointPrefix = "checkpoint-"

    /// Writes a checkpoint of the current step into `root` as `checkpoint-<step>/` (trainer.safetensors with the
    /// parameters and AdamW moments, state.json with the data position) and returns it.
    ///
    /// The directory is written under a temporary name and renamed into place, so a crash leaves either the old
    /// checkpoints or the new one, never half of one; older checkpoints are removed once the new one is in place.
    @discardableResult
    public func writeCheckpoint(into root: URL) throws -> URL {
        let files = FileManager.default
        try files.createDirectory(at: root, withIntermediateDirectories: true)
        let final = root.appendingPathComponent(Self.checkpointPrefix + String(state.step))
        let partial = root.appendingPathComponent(".partial-\(state.step)-\(UInt32.random(in: 0...UInt32.max))")
        try files.createDirectory(at: partial, withIntermediateDirectories: true)
        do {
            try trainer.writeCheckpoint(to: partial.appendingPathComponent("trainer.safetensors"))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(state).write(to: partial.appendingPathComponent("state.json"))
            if files.fileExists(atPath: final.path) { try files.removeItem(at: final) }
            try files.moveItem(at: partial, to: final)
        } catch {
            try? files.removeItem(at: partial)
            throw error
        }
        for (step, url) in Self.checkpoints(in: root) where step != state.step { try? files.removeItem(at: url) }
        return final
    }

    /// The complete checkpoint with the highest step in `root`, if any.
    public static func latestCheckpoint(in root: URL) -> URL? {
        checkpoints(in: root).max { $0.step < $1.step }?.url
    }

    /// Complete checkpoints in `root` by step (partial ones never carry the final name).
    static func checkpoints(in root: URL) -> [(step: Int, url: URL)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.compactMap { name in
            guard name.hasPrefix(checkpointPrefix), let step = Int(name.dropFirst(checkpointPrefix.count)) else { return nil }
            return (step, root.appendingPathComponent(name))
        }
    }

    /// Restores parameters, optimizer moments and the data position from a `checkpoint-<step>` directory of
    /// this same run (same data, settings and step count).
    public mutating func resume(from checkpoint: URL) throws {
        let saved: TrainingState
        do {
            saved = try JSONDecoder().decode(TrainingState.self, from: Data(contentsOf: checkpoint.appendingPathComponent("state.json")))
        } catch {
            throw TrainingRunError.checkpointMismatch("\(checkpoint.lastPathComponent) has no readable state.json (\(error))")
        }
        guard saved.runSignature == state.runSignature else {
            throw TrainingRunError.checkpointMismatch(
                "\(checkpoint.lastPathComponent) was written by a run with other data or settings (\(saved.runSignature), this run is \(state.runSignature))")
        }
        var restored = trainer
        try restored.resume(from: checkpoint.appendingPathComponent("trainer.safetensors"))
        guard restored.optimizer.step == saved.step else {
            throw TrainingRunError.checkpointMismatch("trainer step \(restored.optimizer.step) differs from state step \(saved.step)")
        }
        trainer = restored
        state = saved
    }
}
