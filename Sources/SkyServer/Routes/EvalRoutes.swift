import Foundation
import HTTPTypes
import Hummingbird
import SkyCore
import SkyStore

extension SkyAPI {
    /// Eval results: a job's runs, a run's samples, the leaderboard and an experiment's table.
    func addEvalRoutes(to router: Router<SkyRequestContext>) {
        router.get("/v1/leaderboards") { request, context in
            let parameters = QueryParameters(request: request, context: context)
            let benchmark = parameters.string("benchmark")
            let limit = Int(try parameters.integer("limit", in: 1...10_000) ?? 1000)
            let entries = try await database { try await evals.leaderboard(benchmark: benchmark, limit: limit) }
            return JSONBody.response(.object(["entries": .array(entries.map(APIRepresentation.leaderboardEntry))]))
        }

        router.get("/v1/experiments/:name/table") { request, context in
            let name = try QueryParameters(request: request, context: context).pathString("name")
            let rows = try await database { try await evals.experimentTable(name) }
            let benchmarks = Set(rows.flatMap(\.scores.keys)).sorted()
            return JSONBody.response(.object([
                "experiment": .string(name), "benchmarks": .array(benchmarks.map(JSONValue.string)),
                "rows": .array(rows.map(APIRepresentation.experimentRow)),
            ]))
        }

        router.get("/v1/jobs/:id/eval") { request, context in
            let id = try QueryParameters(request: request, context: context).pathID()
            let runs = try await database {
                try await queue.requireJob(id)
                return try await evals.runs(ofJob: id)
            }
            return JSONBody.response(.object(["runs": .array(runs.map(APIRepresentation.evalRun))]))
        }

        router.get("/v1/eval-runs/:id") { request, context in
            let id = try QueryParameters(request: request, context: context).pathID()
            let (run, graders) = try await database { (try await evals.run(id), try await evals.graderScores(run: id)) }
            guard case .object(var fields) = APIRepresentation.evalRun(run) else { return JSONBody.response(.null) }
            fields["graders"] = .array(graders.map(APIRepresentation.graderScore))
            return JSONBody.response(.object(fields))
        }

        router.get("/v1/eval-runs/:id/verdict-changes") { request, context in
            let parameters = QueryParameters(request: request, context: context)
            let id = try parameters.pathID()
            guard let from = parameters.string("from"), let to = parameters.string("to") else {
                throw APIProblem.badRequest("query parameters 'from' and 'to' (grader versions, see GET /v1/eval-runs/\(id)) are required")
            }
            let changes = try await database {
                _ = try await evals.run(id)
                return try await evals.verdictChanges(run: id, from: from, to: to)
            }
            return JSONBody.response(.object(["from": .string(from), "to": .string(to),
                                              "changes": .array(changes.map(APIRepresentation.verdictChange))]))
        }

        router.get("/v1/eval-runs/:id/samples") { request, context in
            let parameters = QueryParameters(request: request, context: context)
            let id = try parameters.pathID()
            let after = parameters.string("after")
            let problems = Int(try parameters.integer("problems", in: 1...1000) ?? 20)
            let samples = try await database {
                _ = try await evals.run(id)
                // One problem more than asked tells whether another page exists.
                return try await evals.samples(run: id, afterProblem: after, problems: problems + 1)
            }
            var ids: [String] = []
            for sample in samples where ids.last != sample.problemID { ids.append(sample.problemID) }
            let page = ids.count > problems ? samples.filter { $0.problemID != ids[problems] } : samples
            return JSONBody.response(.object([
                "samples": .array(page.map(APIRepresentation.evalSample)),
                "next": ids.count > problems ? .string(ids[problems - 1]) : .null,
            ]))
        }
    }
}
