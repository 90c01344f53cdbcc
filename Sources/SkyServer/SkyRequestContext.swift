public import Hummingbird
public import SkyCore
public import SkyStore

/// Per-request state: Hummingbird's core plus the caller's token once authenticated.
public struct SkyRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The token the request authenticated with; nil on open routes.
    public var token: TokenRecord?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.token = nil
    }

    /// Throws 403 unless the request's token grants `scope`.
    public func require(_ scope: TokenScope) throws {
        guard let token else { throw APIProblem.unauthorized("this operation needs a bearer token") }
        guard scope.isGranted(by: token.scopes) else { throw APIProblem.forbidden(needs: scope) }
    }
}
