import Foundation
import SkyClient
import SkyCore
import SkyJobs
import SkyWorker
import Testing

/// The worker pools shipped in workers/ name their kinds explicitly, so a kind added to Sky must be added there too,
/// or `make run` would queue its jobs forever with no worker offering them.
@Suite struct ShippedWorkerPoolTests {
    @Test func theCPUPoolClaimsEveryKindAStockWorkerCanRun() throws {
        let file = ExperimentCommandTests.repository.appendingPathComponent("workers/cpu.yaml")
        let pool = try SpecDocument.load(file)
        guard case .array(let names)? = pool["kinds"] else { Issue.record("workers/cpu.yaml lists no kinds"); return }
        let kinds = Set(names.compactMap { $0.stringValue.flatMap(JobKind.init(rawValue:)) })
        #expect(kinds.count == names.count, "workers/cpu.yaml names a kind Sky does not know: \(names)")
        #expect(Set(StandardExecutors.registry().kinds) == kinds)
    }
}
