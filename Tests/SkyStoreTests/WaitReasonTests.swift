import SkyCore
import SkyStore
import SkyTestSupport
import Testing

/// A queued job that no live worker can claim says why, and it stays queued for such a worker to join (issue 16).
@Suite struct WaitReasonTests {
    @Test func eachQueuedJobSaysWhichRequirementNoLiveWorkerMeets() async throws {
        try await withTestDatabase { db in
            let plain = try await db.queue.submit(.sleep())
            let cuda = try await db.queue.submit(.sleep(requirements: JobRequirements(backend: "cuda")))
            let big = try await db.queue.submit(.sleep(requirements: JobRequirements(minMemoryMB: 100_000)))
            let labelled = try await db.queue.submit(.sleep(requirements: JobRequirements(labels: ["h100"])))
            let otherQueue = try await db.queue.submit(.sleep(queue: "gpu"))
            let ids = [plain.id, cuda.id, big.id, labelled.id, otherQueue.id]
            #expect(try await db.queue.waitReasons(of: ids) == Dictionary(uniqueKeysWithValues: ids.map { ($0, "no live worker") }))

            let registry = WorkerRegistry(client: db.client)
            try await registry.register(.test("blas-worker"), host: "h", pid: 1, version: "t", slots: 1)
            #expect(try await db.queue.waitReasons(of: ids) == [
                cuda.id: "no live worker offers backend cuda", big.id: "no live worker offers 100000 MiB",
                labelled.id: "no live worker has labels h100", otherQueue.id: "no live worker serves queue gpu with kind sleep",
            ])

            // A CUDA worker joins: the CUDA job is claimable, and claimed by it alone.
            let gpu = WorkerIdentity.test("gpu-worker", capabilities: WorkerCapabilities(backend: "cuda", memoryMB: 1024))
            try await registry.register(gpu, host: "g", pid: 2, version: "t", slots: 1)
            #expect(try await db.queue.waitReasons(of: [cuda.id]).isEmpty)
            #expect(try await db.queue.claim(for: gpu, limit: 10, lease: .seconds(30)).map(\.id).contains(cuda.id))
            // Jobs that are not queued have no reason.
            #expect(try await db.queue.waitReasons(of: [cuda.id]).isEmpty)
        }
    }
}
