import AsyncHTTPClient
import NIOCore
import NIOHTTP1

extension APIClient {
    /// GET /healthz (no token needed).
    public func health() async throws -> Health {
        try await json(Health.self, makeRequest(.GET, "/healthz"))
    }

    /// GET /readyz: the database is reachable and migrated.
    public func readiness() async throws -> Readiness {
        try await json(Readiness.self, makeRequest(.GET, "/readyz"))
    }

    /// GET /openapi.yaml: the contract the server implements.
    public func openAPIDocument() async throws -> String {
        try await text(makeRequest(.GET, "/openapi.yaml"))
    }

    /// GET /metrics: Prometheus text.
    public func prometheusMetrics() async throws -> String {
        try await text(makeRequest(.GET, "/metrics"))
    }

    /// GET /v1/experiments: most recently active first.
    public func experiments() async throws -> [Experiment] {
        struct Experiments: Decodable { var experiments: [Experiment] }
        return try await json(Experiments.self, makeRequest(.GET, "/v1/experiments")).experiments
    }

    /// GET /v1/experiments/{name}: its jobs, oldest first, and counts by state.
    public func experiment(_ name: String) async throws -> ExperimentDetail {
        try await json(ExperimentDetail.self, makeRequest(.GET, "/v1/experiments/\(Self.percentEncoded(name))"))
    }

    /// GET /v1/workers; `includeStopped` adds workers that have shut down.
    public func workers(includeStopped: Bool = false) async throws -> [Worker] {
        struct Workers: Decodable { var workers: [Worker] }
        return try await json(Workers.self, makeRequest(.GET, "/v1/workers", query: [("all", includeStopped ? "true" : nil)])).workers
    }

    /// GET /v1/queues.
    public func queues() async throws -> [Queue] {
        struct Queues: Decodable { var queues: [Queue] }
        return try await json(Queues.self, makeRequest(.GET, "/v1/queues")).queues
    }

    /// POST /v1/queues/{name}/pause (admin): workers stop claiming from it.
    public func pauseQueue(_ name: String, reason: String? = nil) async throws -> Queue {
        var request = makeRequest(.POST, "/v1/queues/\(Self.percentEncoded(name))/pause")
        if let reason { request = try withJSONBody(request, ["reason": reason]) }
        return try await json(Queue.self, request)
    }

    /// POST /v1/queues/{name}/resume (admin).
    public func resumeQueue(_ name: String) async throws -> Queue {
        try await json(Queue.self, makeRequest(.POST, "/v1/queues/\(Self.percentEncoded(name))/resume"))
    }

    /// The body of a text answer.
    func text(_ request: HTTPClientRequest) async throws -> String {
        let body = try await send(request).body.collect(upTo: 64 << 20)
        return String(buffer: body)
    }
}
