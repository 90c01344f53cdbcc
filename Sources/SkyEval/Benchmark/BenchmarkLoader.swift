public import Foundation
import SkyCore

/// Reads a benchmark JSONL file line by line (files of many MB never sit in memory as one string), hashing the bytes
/// as it goes, detecting or applying a layout, and rejecting duplicate ids and mixed kinds.
public enum BenchmarkLoader {
    /// Loads `url`; `format` nil means detect it from the first record's fields. `name` defaults to the file's base name.
    public static func load(fileAt url: URL, format: BenchmarkFormat? = nil, name: String? = nil) throws(BenchmarkError) -> Benchmark {
        let handle: FileHandle
        do {
            handle = try FileHandle(forReadingFrom: url)
        } catch {
            throw BenchmarkError(path: url.path, line: 0, message: "cannot open: \(error.localizedDescription)")
        }
        defer { try? handle.close() }
        var parser = Parser(format: format)
        do throws(BenchmarkError) {
            var pending = Data()
            while true {
                let chunk: Data
                do {
                    chunk = try handle.read(upToCount: 1 << 20) ?? Data()
                } catch {
                    throw BenchmarkError(line: parser.line, message: "read failed: \(error.localizedDescription)")
                }
                if chunk.isEmpty { break }
                chunk.withUnsafeBytes { parser.hasher.update($0) }
                pending.append(chunk)
                var start = pending.startIndex
                while let newline = pending[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    try parser.consume(pending[start..<newline])
                    start = pending.index(after: newline)
                }
                pending = Data(pending[start...])
            }
            if !pending.isEmpty { try parser.consume(pending) }
            return try parser.finish(name: name ?? url.deletingPathExtension().lastPathComponent)
        } catch {
            var located = error
            located.path = url.path
            throw located
        }
    }

    /// Loads a benchmark held in memory, as `load(fileAt:)` does.
    public static func load(data: Data, name: String, format: BenchmarkFormat? = nil) throws(BenchmarkError) -> Benchmark {
        var parser = Parser(format: format)
        data.withUnsafeBytes { parser.hasher.update($0) }
        var start = data.startIndex
        while let newline = data[start...].firstIndex(of: UInt8(ascii: "\n")) {
            try parser.consume(data[start..<newline])
            start = data.index(after: newline)
        }
        if start < data.endIndex { try parser.consume(data[start...]) }
        return try parser.finish(name: name)
    }

    /// The state of one load: line count, layout, ids seen, problems so far and the running hash.
    struct Parser {
        var format: BenchmarkFormat?
        var hasher = SHA256Hasher()
        var line = 0
        var problems: [BenchmarkProblem] = []
        var ids: [String: Int] = [:]
        var kind: BenchmarkKind?

        init(format: BenchmarkFormat?) { self.format = format }

        mutating func consume(_ bytes: Data) throws(BenchmarkError) {
            line += 1
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
            let record = try BenchmarkRecord(json: bytes, line: line)
            if format == nil {
                guard let detected = BenchmarkFormat.detect(fields: Set(record.fields.keys)) else {
                    throw record.error(nil, "cannot tell the layout from fields \(record.fields.keys.sorted()); name a format "
                        + "(\(BenchmarkFormat.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                format = detected
            }
            let problem = try Self.problem(record, format: format!)
            if let first = ids[problem.id] {
                throw record.error(nil, "duplicate id '\(problem.id)' (first on line \(first))")
            }
            if let kind, kind != problem.kind {
                throw record.error(nil, "a \(problem.kind.rawValue) problem in a \(kind.rawValue) benchmark; a file holds one kind")
            }
            kind = problem.kind
            ids[problem.id] = line
            problems.append(problem)
        }

        mutating func finish(name: String) throws(BenchmarkError) -> Benchmark {
            guard let kind else { throw BenchmarkError(line: 0, message: "no problems (the file is empty)") }
            return Benchmark(name: name, kind: kind, problems: problems, sha256: hasher.finalizeHex())
        }

        static func problem(_ record: BenchmarkRecord, format: BenchmarkFormat) throws(BenchmarkError) -> BenchmarkProblem {
            switch format {
            case .sky: try SkyLayout.problem(record)
            case .aime2024: try MathLayouts.aime(record)
            case .amc2023: try MathLayouts.amc(record)
            case .math500: try MathLayouts.math500(record)
            case .olympiadbench: try MathLayouts.olympiad(record)
            case .livecodebench: try LiveCodeBenchLayout.problem(record)
            }
        }
    }
}
