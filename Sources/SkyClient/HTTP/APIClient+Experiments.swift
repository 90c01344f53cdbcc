import AsyncHTTPClient
import NIOHTTP1
public import SkyCore

extension APIClient {
    /// POST /v1/experiments: expands `document` (an experiment file as JSON) on the server and submits it,
    /// reusing earlier jobs of the same content; `quick` keeps the file's quick variants, `dryRun` stores nothing.
    public func submitExperiment(_ document: JSONValue, quick: Bool = false, dryRun: Bool = false) async throws -> ExperimentSubmission {
        let request = try withJSONBody(
            makeRequest(.POST, "/v1/experiments", query: [("quick", quick ? "true" : nil), ("dryRun", dryRun ? "true" : nil)]), document)
        return try await json(ExperimentSubmission.self, request)
    }
}
