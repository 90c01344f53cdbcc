public import Foundation

/// Where skyctl sends requests and with which token, and where each came from (for error messages).
public struct ServerConnection: Sendable, Hashable {
    /// skyd's default address, used when nothing names a server.
    public static let defaultServer = "http://127.0.0.1:8080"

    /// Base URL without a trailing slash, e.g. http://127.0.0.1:8080.
    public var server: String
    public var token: String?
    public var serverSource: Source
    public var tokenSource: Source

    /// Where a setting came from.
    public enum Source: Sendable, Hashable, CustomStringConvertible {
        /// A command-line flag or an explicit argument.
        case explicit
        /// An environment variable, by name.
        case environment(String)
        /// The config file, by path.
        case configFile(String)
        /// Nothing set it; the config file that was looked at, by path.
        case unset(configFile: String)

        public var description: String {
            switch self {
            case .explicit: "the command line"
            case .environment(let name): "$\(name)"
            case .configFile(let path): path
            case .unset(let path): "nowhere (no flag, no environment variable, nothing in \(path))"
            }
        }
    }

    /// Creates a connection from known values.
    public init(server: String, token: String?, serverSource: Source = .explicit, tokenSource: Source = .explicit) {
        self.server = Self.normalised(server)
        self.token = token
        self.serverSource = serverSource
        self.tokenSource = tokenSource
    }

    /// Each setting from `server`/`token` when given, else `SKY_SERVER`/`SKY_TOKEN`, else the config file.
    /// The config file is read only when something is still missing.
    public static func resolve(
        server: String? = nil, token: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, configFile: URL? = nil
    ) throws -> ServerConnection {
        let fileURL = configFile ?? ClientConfigFile.defaultURL(environment: environment)
        var resolvedServer = server.map { ($0, Source.explicit) } ?? environment["SKY_SERVER"].nonEmpty.map { ($0, .environment("SKY_SERVER")) }
        var resolvedToken = token.map { ($0, Source.explicit) } ?? environment["SKY_TOKEN"].nonEmpty.map { ($0, .environment("SKY_TOKEN")) }
        if resolvedServer == nil || resolvedToken == nil {
            let file = try ClientConfigFile.load(from: fileURL)
            resolvedServer = resolvedServer ?? file.server.nonEmpty.map { ($0, .configFile(fileURL.path)) }
            resolvedToken = resolvedToken ?? file.token.nonEmpty.map { ($0, .configFile(fileURL.path)) }
        }
        return ServerConnection(
            server: resolvedServer?.0 ?? defaultServer, token: resolvedToken?.0,
            serverSource: resolvedServer?.1 ?? .unset(configFile: fileURL.path),
            tokenSource: resolvedToken?.1 ?? .unset(configFile: fileURL.path))
    }

    /// Adds a scheme when missing (`localhost:8080` means http) and drops trailing slashes.
    static func normalised(_ server: String) -> String {
        var text = server.trimmingCharacters(in: .whitespaces)
        if !text.contains("://") { text = "http://" + text }
        while text.hasSuffix("/") { text.removeLast() }
        return text
    }
}

extension Optional where Wrapped == String {
    fileprivate var nonEmpty: String? {
        switch self {
        case .some(let value) where !value.isEmpty: value
        default: nil
        }
    }
}
