import Foundation
import SkyCore

/// Printing helpers shared by the data subcommands.
enum DataOutput {
    /// Pretty JSON with sorted keys on standard output.
    static func printJSON(_ value: JSONValue) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(value) { print(String(decoding: data, as: UTF8.self)) }
    }

    /// A line on standard error, for progress and warnings.
    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
