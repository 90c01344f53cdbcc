public import Foundation
import HTTPTypes
public import Hummingbird
public import Logging
import NIOCore
public import PostgresNIO
public import Prometheus
import SkyCore
public import SkyStore

/// Sky's HTTP control plane: the routes of api/openapi.yaml over SkyStore.
public struct SkyAPI: Sendable {
    let configuration: SkyServerConfiguration
    let queue: JobQueue
    let artifacts: PostgresArtifactStore
    let workers: WorkerRegistry
    let tokens: TokenStore
    let migrator: Migrator
    let registry: PrometheusCollectorRegistry
    let logger: Logger

    /// An API over `client`; `registry` collects the HTTP metrics served at /metrics.
    public init(client: PostgresClient, configuration: SkyServerConfiguration = .init(),
                registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), logger: Logger = Logger(label: "sky.api")) {
        self.configuration = configuration
        self.queue = JobQueue(client: client, logger: logger)
        self.artifacts = PostgresArtifactStore(client: client, maxBytes: configuration.maxArtifactBytes, logger: logger)
        self.workers = WorkerRegistry(client: client, logger: logger)
        self.tokens = TokenStore(client: client, logger: logger)
        self.migrator = Migrator(client: client, logger: logger)
        self.registry = registry
        self.logger = logger
    }

    /// The router with every route and middleware.
    public func makeRouter() -> Router<SkyRequestContext> {
        let router = Router(context: SkyRequestContext.self)
        // Order matters: metrics see the final status, problems are rendered before metrics count them,
        // and auth runs inside so its 401s are rendered too.
        router.add(middleware: HTTPMetricsMiddleware(registry: registry))
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: AuthMiddleware(tokens: tokens, cache: TokenCache(ttl: .seconds(configuration.tokenCacheSeconds))))
        addSystemRoutes(to: router)
        addJobRoutes(to: router)
        addCatalogRoutes(to: router)
        addArtifactRoutes(to: router)
        return router
    }

    /// An Hummingbird application serving the API on the configured address.
    public func makeApplication(onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in })
        -> some ApplicationProtocol {
        Application(
            router: makeRouter(),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "sky"),
            onServerRunning: onServerRunning,
            logger: logger)
    }

    /// Runs `body` with the database deadline: past it the request gets 503 instead of hanging while the
    /// database is unreachable (the client pool keeps trying to reconnect in the background).
    func database<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let timeout = configuration.databaseTimeoutSeconds
        return try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                throw DatabaseTimeout()
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }
}
