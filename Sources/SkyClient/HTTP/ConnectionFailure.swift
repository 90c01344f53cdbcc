import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

/// Recognises the errors that mean "no server there" rather than "the server said no".
enum ConnectionFailure {
    /// A short human reason when `error` is a failure to connect, else nil.
    static func reason(_ error: any Error) -> String? {
        switch error {
        case let error as NIOConnectionError:
            return error.connectionErrors.first.flatMap { reason($0.error) } ?? error.dnsAAAAError.flatMap(reason)
                ?? error.dnsAError.flatMap(reason) ?? "cannot connect"
        case let error as IOError:
            return error.errnoCode == ECONNREFUSED ? "connection refused" : String(cString: strerror(error.errnoCode))
        case let error as ChannelError:
            if case .connectTimeout = error { return "connection timed out" }
            return nil
        case is SocketAddressError:
            return "unknown host"
        case let error as HTTPClientError:
            switch error {
            case .connectTimeout: return "connection timed out"
            case .remoteConnectionClosed: return "the server closed the connection"
            default: return nil
            }
        default:
            return nil
        }
    }
}
