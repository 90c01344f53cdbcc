import Foundation
import SkyCore
import SkyStore

extension APIRepresentation {
    static func leaderboardEntry(_ entry: LeaderboardEntry) -> JSONValue {
        func score(_ score: LeaderboardEntry.Score) -> JSONValue {
            .object([
                "accuracy": .number(score.accuracy), "standardError": number(score.standardError), "n": int(score.n),
                "configHash": .string(score.configHash), "jobId": score.jobID.map(int) ?? .null, "grader": .string(score.grader),
            ])
        }
        return .object([
            "benchmark": .string(entry.benchmark), "model": .string(entry.model), "modelSha256": .string(entry.modelSHA256),
            "adapter": string(entry.adapter), "adapterSha256": string(entry.adapterSHA256), "experiment": string(entry.experiment),
            "variant": .string(entry.variant), "best": score(entry.best), "latest": score(entry.latest), "runs": int(entry.runs),
            "latestFinishedAt": time(entry.latestFinishedAt),
        ])
    }

    static func experimentRow(_ row: ExperimentTableRow) -> JSONValue {
        var scores: [String: JSONValue] = [:]
        for (benchmark, cell) in row.scores {
            scores[benchmark] = .object([
                "accuracy": .number(cell.accuracy), "standardError": number(cell.standardError), "n": int(cell.n),
                "problems": int(cell.problems), "jobId": cell.jobID.map(int) ?? .null, "runId": cell.runID.map(int) ?? .null,
                "grader": string(cell.grader), "importedFrom": string(cell.importedFrom), "seeds": int(cell.seeds),
                "seedStandardDeviation": number(cell.seedStandardDeviation),
            ])
        }
        return .object([
            "variant": .string(row.variant), "scores": .object(scores), "average": .number(row.average),
            "averageStandardError": number(row.averageStandardError),
        ])
    }

    static func evalRun(_ run: EvalRunRecord) -> JSONValue {
        .object([
            "id": int(run.id), "jobId": run.jobID.map(int) ?? .null, "benchmark": .string(run.benchmark),
            "benchmarkSha256": .string(run.benchmarkSHA256), "experiment": string(run.experiment), "variant": .string(run.variant),
            "model": .string(run.model), "modelSha256": .string(run.modelSHA256), "adapter": string(run.adapter),
            "adapterSha256": string(run.adapterSHA256), "config": run.config, "configHash": .string(run.configHash),
            "problems": int(run.problems), "n": int(run.samplesPerProblem), "state": .string(run.state),
            "accuracy": number(run.accuracy), "standardError": number(run.standardError), "summary": run.summary ?? .null,
            "createdAt": time(run.createdAt), "finishedAt": time(run.finishedAt), "grader": .string(run.grader),
            "source": run.source ?? .null, "environment": run.environment ?? .null,
        ])
    }

    static func graderScore(_ score: RunGraderScore) -> JSONValue {
        .object(["grader": .string(score.grader), "current": .bool(score.current), "samples": int(score.samples),
                 "accuracy": .number(score.accuracy)])
    }

    static func verdictChange(_ change: VerdictChange) -> JSONValue {
        func verdict(_ verdict: SampleVerdict) -> JSONValue {
            .object(["correct": .bool(verdict.correct), "extracted": string(verdict.extracted), "reason": .string(verdict.reason)])
        }
        return .object(["problemId": .string(change.problemID), "sampleIndex": int(change.sampleIndex), "gold": string(change.gold),
                        "before": verdict(change.before), "after": verdict(change.after)])
    }

    static func evalSample(_ sample: EvalSampleRow) -> JSONValue {
        .object([
            "problemId": .string(sample.problemID), "sampleIndex": int(sample.sampleIndex), "level": string(sample.level),
            "promptTokens": int(sample.promptTokens), "output": .string(sample.output), "extracted": string(sample.extracted),
            "correct": .bool(sample.correct), "reason": .string(sample.reason), "outputTokens": int(sample.outputTokens),
            "finishReason": .string(sample.finishReason), "reflectionKeywords": int(sample.reflectionKeywords),
            "gold": string(sample.gold),
        ])
    }
}
