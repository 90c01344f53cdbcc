import Foundation
import SkyClient
import SkyCore
import Testing

@Suite struct JobTableTests {
    let now = Date(timeIntervalSince1970: 2_000_000_000)

    @Test func rowsShowEveryColumnInSkyPilotsOrder() throws {
        let jobs = [
            try makeJob(id: 12, kind: "train", state: "running", name: "lora-r8", experiment: "sweep", totalSeconds: 185, runSeconds: 65,
                        progress: 0.425, requirements: .object(["backend": .string("cuda"), "minMemoryMB": .number(16384), "labels": .array([.string("h100")])]),
                        now: now),
            try makeJob(id: 3, state: "succeeded", createdSecondsAgo: 7200, totalSeconds: 30, runSeconds: 20, attemptsUsed: 2, now: now),
        ]
        let lines = JobTable().render(jobs, now: now).split(separator: "\n").map(String.init)
        #expect(lines[0] == "ID  KIND   NAME/EXPERIMENT  REQUESTED         SUBMITTED  TOT. DURATION  JOB DURATION  ATTEMPTS  PROGRESS  STATUS")
        #expect(lines[1] == "12  train  lora-r8 (sweep)  cuda, 16GB, h100  3 min ago  3m 5s          1m 5s         1/3       42%       RUNNING")
        #expect(lines[2] == " 3  sleep  -                -                 2 h ago    30s            20s           2/3       100%      SUCCEEDED")
        #expect(lines[3] == "In progress: 1 running")
    }

    @Test func allColumnsAddWorkerStartAndTheFirstLineOfTheError() throws {
        let job = try makeJob(id: 5, state: "failed", workerId: "w-1", error: "boom\ntrace", now: now)
        let lines = JobTable(showAll: true).render([job], now: now).split(separator: "\n").map(String.init)
        #expect(lines[0].hasSuffix("STATUS  WORKER  STARTED  ERROR"))
        #expect(lines[1].hasSuffix("FAILED  w-1     -        boom"))
        #expect(lines[2] == "No jobs in progress.")
    }

    @Test func aQueuedJobNoLiveWorkerCanClaimSaysWhyUnderTheTable() throws {
        let jobs = [try makeJob(id: 7, kind: "train", state: "queued", waitingReason: "no live worker offers backend cuda", now: now),
                    try makeJob(id: 8, state: "queued", now: now)]
        let lines = JobTable().render(jobs, now: now).split(separator: "\n").map(String.init)
        #expect(lines.suffix(2) == ["In progress: 2 queued", "Job 7 waits: no live worker offers backend cuda."])
        #expect(JobDetailText().render(jobs[0], events: [], now: now)
            .contains("Waiting          no live worker offers backend cuda; it stays queued until such a worker joins"))
    }

    @Test func theSummaryCountsUnfinishedJobsByState() throws {
        let states = ["running", "running", "queued", "queued", "queued", "waiting", "failed", "succeeded"]
        let jobs = try states.enumerated().map { try makeJob(id: Int64($0 + 1), state: $1, now: now) }
        #expect(JobTable.summary(jobs) == "In progress: 2 running, 3 queued, 1 waiting")
    }

    @Test func aRunningJobAskedToStopShowsAsCancellingAndColoursFollowTheState() throws {
        let job = try makeJob(id: 1, state: "running", cancelRequested: true, now: now)
        let text = JobTable(style: TerminalStyle(enabled: true)).render([job], now: now)
        #expect(text.contains("\u{1B}[34mCANCELLING\u{1B}[0m"))
        #expect(!JobTable().render([job], now: now).contains("\u{1B}["))
    }
}
