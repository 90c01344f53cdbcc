public import Foundation

/// The file where skyctl finds its server and token: `$SKY_CONFIG`, else
/// `$XDG_CONFIG_HOME/sky/config.yaml`, else `~/.config/sky/config.yaml`. skyd writes it (mode 0600) with
/// an admin token on its first start, so a local user needs no copying.
///
/// The format is YAML restricted to `key: value` lines, so both sides read it without a YAML library.
public struct ClientConfigFile: Sendable, Hashable {
    /// Base URL of the API, e.g. http://127.0.0.1:8080.
    public var server: String?
    /// Bearer token.
    public var token: String?

    /// Creates a configuration.
    public init(server: String? = nil, token: String? = nil) {
        self.server = server
        self.token = token
    }

    /// The path in use under `environment`.
    public static func defaultURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let path = environment["SKY_CONFIG"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".config")
        return base.appendingPathComponent("sky/config.yaml")
    }

    /// Reads `url`; a missing file is an empty configuration.
    public static func load(from url: URL = defaultURL()) throws -> ClientConfigFile {
        guard let data = FileManager.default.contents(atPath: url.path) else { return ClientConfigFile() }
        var config = ClientConfigFile()
        for (number, raw) in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw ClientConfigError("\(url.path):\(number + 1): expected 'key: value'")
            }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.first == "\"" || value.first == "'", value.last == value.first {
                value = String(value.dropFirst().dropLast())
            }
            switch key {
            case "server": config.server = value
            case "token": config.token = value
            default: break  // Unknown keys are kept for newer versions; ignoring them keeps old skyctl working.
            }
        }
        return config
    }

    /// Writes the file atomically with mode 0600 (its directory 0700): it holds a secret.
    public func save(to url: URL = defaultURL()) throws {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var text = "# Written by skyd; read by skyctl. Keep private: it holds an API token.\n"
        if let server { text += "server: \(server)\n" }
        if let token { text += "token: \(token)\n" }
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UInt32.random(in: 0...UInt32.max))")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ClientConfigError("cannot write \(temporary.path)")
        }
        if rename(temporary.path, url.path) != 0 {
            try? FileManager.default.removeItem(at: temporary)
            throw ClientConfigError("cannot replace \(url.path): \(String(cString: strerror(errno)))")
        }
    }
}

/// A configuration file that cannot be read or written.
public struct ClientConfigError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
