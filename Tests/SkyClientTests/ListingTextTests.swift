import Foundation
import SkyClient
import SkyCore
import Testing

/// The smaller renderings: show, queues, artifacts, experiments and log lines.
@Suite struct ListingTextTests {
    let now = Date(timeIntervalSince1970: 2_000_000_000)
    let utc = TimeZone(identifier: "UTC")!

    func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try APIJSON.decode(type, from: Data(json.utf8))
    }

    @Test func showListsFieldsSpecResultAndEvents() throws {
        var job = try makeJob(id: 9, state: "succeeded", name: "nap", experiment: "e", runSeconds: 4, error: nil, now: now)
        job.spec = .object(["durationSeconds": .number(4)])
        job.result = .string("ok")
        let events = try decode([JobEvent].self, """
            [{"attempt": 0, "from": null, "to": "queued", "at": "2033-05-18T03:30:00Z", "reason": "submitted"},
             {"attempt": 1, "from": "queued", "to": "running", "at": "2033-05-18T03:30:01.5Z", "workerId": "w1", "reason": "claimed"}]
            """)
        let text = JobDetailText().render(job, events: events, now: now)
        #expect(text.contains("\nState            SUCCEEDED\n"))
        #expect(text.contains("\nExperiment       e\n"))
        #expect(text.contains("Spec:\n  {\n    \"durationSeconds\" : 4\n  }"))
        #expect(text.contains("Result:\n  \"ok\""))
        let eventLines = text.components(separatedBy: "Events:\n")[1].split(separator: "\n")
        #expect(eventLines.count == 3)
        #expect(eventLines[2].hasSuffix("1        queued  running  w1      claimed"))
    }

    @Test func queuesShowCountsAgeAndPause() throws {
        let queues = try decode([Queue].self, """
            [{"name": "default", "counts": {"waiting": 0, "queued": 12, "running": 2, "succeeded": 40, "failed": 1, "cancelled": 0},
              "oldestQueuedAgeSeconds": 95, "paused": true}]
            """)
        let lines = QueueTable.render(queues, style: TerminalStyle(enabled: false)).split(separator: "\n")
        #expect(lines[1] == "default        0      12        2         40       1          0  1m 35s         PAUSED")
    }

    @Test func artifactSizesAreHumanAndProducersNamed() throws {
        #expect(ArtifactTable.byteCount(512) == "512 B")
        #expect(ArtifactTable.byteCount(1536) == "1.5 KiB")
        #expect(ArtifactTable.byteCount(200 << 20) == "200.0 MiB")
        let artifacts = try decode([Artifact].self, """
            [{"id": 4, "kind": "dataset", "name": "out.jsonl", "mediaType": "application/x-ndjson", "sizeBytes": 2048,
              "sha256": "\(String(repeating: "ab", count: 32))", "metadata": {}, "producedBy": {"jobId": 7, "attempt": 2},
              "createdAt": "2033-05-18T03:30:00Z"}]
            """)
        let row = ArtifactTable.render(artifacts, now: now).split(separator: "\n")[1]
        #expect(row.hasPrefix(" 4  dataset  out.jsonl  2.0 KiB  abababababab  job 7 #2"))
    }

    @Test func experimentCountsListOnlyNonZeroStatesInLifecycleOrder() {
        #expect(ExperimentTable.countsText(StateCounts(queued: 2, running: 1, failed: 3)) == "2 queued, 1 running, 3 failed")
        #expect(ExperimentTable.countsText(StateCounts()) == "none")
    }

    @Test func logLinesShowTimeAttemptAndLevel() throws {
        let line = try decode(LogLine.self, #"{"id": "1", "attempt": 2, "at": "2033-05-18T03:33:20Z", "level": "error", "message": "boom"}"#)
        let plain = LogLineText.render(line, style: TerminalStyle(enabled: false))
        #expect(plain.hasSuffix(" #2 ERROR boom"))
        #expect(LogLineText.render(line, style: TerminalStyle(enabled: true)).contains("\u{1B}[31mERROR\u{1B}[0m"))
    }
}
