import Foundation
import HTTPTypes
import Hummingbird
import SkyCore
import SkyStore

extension SkyAPI {
    /// Submitting an experiment document: expansion and reuse of earlier jobs, in one transaction.
    func addExperimentRoutes(to router: Router<SkyRequestContext>) {
        router.post("/v1/experiments") { request, context in
            try context.require(.submit)
            let query = QueryParameters(request: request, context: context)
            let quick = try query.boolean("quick") ?? false, dryRun = try query.boolean("dryRun") ?? false
            let body = try await JSONBody.read(request, limit: configuration.maxJSONBytes)
            let plan: ExperimentPlan
            do {
                plan = try ExperimentExpander.plan(body, quick: quick)
            } catch let error as SpecValidationError {
                throw APIProblem.invalid("invalid-experiment", "the experiment has \(error.issues.count) problem(s); nothing was stored",
                                         errors: error.issues)
            }
            let outcomes = try await database { try await queue.submitExperiment(plan, dryRun: dryRun) }
            let created = outcomes.contains { $0.action != .reused && $0.id != nil }
            return JSONBody.response(Self.planJSON(plan, outcomes: outcomes, quick: quick, dryRun: dryRun), status: created ? .created : .ok)
        }
    }

    /// The plan as the API returns it: per job its place in the grid and what the submission did with it.
    static func planJSON(_ plan: ExperimentPlan, outcomes: [ExperimentJobOutcome], quick: Bool, dryRun: Bool) -> JSONValue {
        var counts: [String: JSONValue] = ["new": .number(0), "reused": .number(0), "rerun": .number(0)]
        let jobs: [JSONValue] = zip(plan.jobs, outcomes).map { job, outcome in
            counts[outcome.action.rawValue] = .number((counts[outcome.action.rawValue]?.numberValue ?? 0) + 1)
            return .object([
                "index": .number(Double(outcome.index)), "stage": .string(job.stage), "variant": .string(job.variant),
                "benchmark": job.benchmark.map(JSONValue.string) ?? .null, "name": .string(job.name), "kind": .string(job.kind.rawValue),
                "id": outcome.id.map { .number(Double($0)) } ?? .null, "state": outcome.state.map { .string($0.rawValue) } ?? .null,
                "action": .string(outcome.action.rawValue), "key": .string(outcome.idempotencyKey),
                "dependsOnIndex": .array(job.dependsOnIndex.map { .number(Double($0)) }),
            ])
        }
        return .object([
            "experiment": .string(plan.experiment), "quick": .bool(quick), "dryRun": .bool(dryRun), "counts": .object(counts),
            "jobs": .array(jobs),
        ])
    }
}
