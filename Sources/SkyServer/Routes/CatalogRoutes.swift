import Foundation
import HTTPTypes
import Hummingbird
import SkyCore
import SkyStore

extension SkyAPI {
    /// Experiments, workers and queues.
    func addCatalogRoutes(to router: Router<SkyRequestContext>) {
        router.get("/v1/experiments") { _, _ in
            let experiments = try await database { try await queue.experiments() }
            return JSONBody.response(.object(["experiments": .array(experiments.map(APIRepresentation.experiment))]))
        }

        router.get("/v1/experiments/:name") { request, context in
            let name = try QueryParameters(request: request, context: context).pathString("name")
            let (jobs, counts) = try await database {
                (try await queue.jobs(experiment: name), try await queue.countsByState(experiment: name))
            }
            guard !jobs.isEmpty else { throw APIProblem.notFound("experiment '\(name)' has no jobs") }
            let now = Date()
            return JSONBody.response(.object([
                "name": .string(name), "counts": APIRepresentation.counts(counts),
                "total": .number(Double(counts.values.reduce(0, +))),
                "jobs": .array(jobs.map { APIRepresentation.job($0, now: now) }),
            ]))
        }

        router.get("/v1/workers") { request, context in
            let all = try QueryParameters(request: request, context: context).boolean("all") ?? false
            let list = try await database { try await workers.list(includeStopped: all) }
            let now = Date()
            return JSONBody.response(.object(["workers": .array(list.map { APIRepresentation.worker($0, now: now) })]))
        }

        router.get("/v1/queues") { _, _ in
            let queues = try await database { try await queue.queues() }
            return JSONBody.response(.object(["queues": .array(queues.map(APIRepresentation.queue))]))
        }

        router.post("/v1/queues/:name/pause") { request, context in
            try context.require(.admin)
            let name = try queueName(request, context)
            let why = try await optionalReason(request)
            let by = context.token?.name
            let summary = try await database {
                try await queue.pause(queue: name, by: by, reason: why)
                return try await queue.queues().first { $0.name == name }
            }
            return JSONBody.response(APIRepresentation.queue(summary ?? QueueSummary(name: name, counts: [:], oldestQueuedAge: nil, paused: true)))
        }

        router.post("/v1/queues/:name/resume") { request, context in
            try context.require(.admin)
            let name = try queueName(request, context)
            let summary = try await database {
                try await queue.resume(queue: name)
                return try await queue.queues().first { $0.name == name }
            }
            return JSONBody.response(APIRepresentation.queue(summary ?? QueueSummary(name: name, counts: [:], oldestQueuedAge: nil, paused: false)))
        }
    }

    private func queueName(_ request: Request, _ context: SkyRequestContext) throws -> String {
        let name = try QueryParameters(request: request, context: context).pathString("name")
        guard name.count <= 64, !name.contains(where: \.isWhitespace) else {
            throw APIProblem.badRequest("queue names are 1 to 64 characters without spaces")
        }
        return name
    }
}
