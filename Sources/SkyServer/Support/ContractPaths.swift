/// The paths and methods of the API's contract (api/openapi.yaml, embedded at build time), so that a request for a path
/// the contract has, with a method it does not list, is answered 405 with `Allow` rather than 404.
enum ContractPaths {
    /// Each path template's segments ("{id}" matches any one segment) and its methods, upper-case.
    static let all: [(segments: [Substring], methods: [String])] = parse(EmbeddedOpenAPI.text)

    /// The methods the contract lists for `path`; empty when the contract has no such path.
    static func methods(for path: String) -> [String] {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        for entry in all where entry.segments.count == parts.count {
            if zip(entry.segments, parts).allSatisfy({ $0.hasPrefix("{") || $0 == $1 }) { return entry.methods }
        }
        return []
    }

    /// The document is written two-space indented (a test checks it against the router): paths at two spaces under
    /// `paths:`, their operations at four.
    static func parse(_ text: String) -> [(segments: [Substring], methods: [String])] {
        var entries: [(segments: [Substring], methods: [String])] = []
        var inPaths = false
        let operations: Set<Substring> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") && !line.isEmpty { inPaths = line == "paths:" }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), line.hasSuffix(":"), !line.hasPrefix("   ") {
                let template = line.dropFirst(2).dropLast()
                entries.append((template.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { $0 }, []))
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":"), !entries.isEmpty {
                let word = line.dropFirst(4).dropLast()
                if operations.contains(word) { entries[entries.count - 1].methods.append(word.uppercased()) }
            }
        }
        return entries
    }
}
