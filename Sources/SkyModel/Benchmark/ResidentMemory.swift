import Foundation

/// This process's resident memory from /proc/self/status (Linux only).
public struct ResidentMemory: Sendable, Equatable {
    /// VmRSS: resident now, in bytes.
    public var current: Int
    /// VmHWM: the most ever resident, in bytes.
    public var peak: Int

    /// Figures in bytes.
    public init(current: Int, peak: Int) {
        self.current = current
        self.peak = peak
    }

    /// Reads /proc/self/status; nil where it does not exist (macOS) or lacks the fields.
    public static func read() -> ResidentMemory? {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        return parse(text)
    }

    /// Parses the VmRSS and VmHWM lines ("VmRSS:   123456 kB") of a /proc status text.
    public static func parse(_ status: String) -> ResidentMemory? {
        var fields: [String: Int] = [:]
        for line in status.split(separator: "\n") {
            let parts = line.split(whereSeparator: { $0 == ":" || $0 == " " || $0 == "\t" })
            guard parts.count >= 2, parts[0] == "VmRSS" || parts[0] == "VmHWM", let kib = Int(parts[1]) else { continue }
            fields[String(parts[0])] = kib * 1024
        }
        guard let rss = fields["VmRSS"], let hwm = fields["VmHWM"] else { return nil }
        return ResidentMemory(current: rss, peak: hwm)
    }
}
