import Foundation
import SkyCore
@testable import SkyServer
@testable import SkyStore
import Testing

/// The web page's pure parts: escaping by type, plot axes, stage grouping.
@Suite struct WebRenderingTests {
    @Test func interpolatedStringsAreEscapedAndMarkupIsNot() {
        let name = #"<img src=x onerror="alert('1')"> & co"#
        let link: HTML = "<b>bold</b>"
        let html: HTML = "<td title=\"\(name)\">\(name) \(link) \(42)</td>"
        #expect(html.description == #"<td title="&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co">&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co <b>bold</b> 42</td>"#)
    }

    @Test func plotTicksAreRoundAndLabelledWithTheDecimalsTheyNeed() {
        let accuracy = SVGPlot.ticks(0...1, count: 4)
        #expect(accuracy.map { SVGPlot.label($0, among: accuracy) } == ["0.0", "0.5", "1.0"])
        let rates = SVGPlot.ticks(0...0.01, count: 4)
        #expect(rates.map { SVGPlot.label($0, among: rates) } == ["0.000", "0.005", "0.010"])
        let steps = SVGPlot.ticks(1...30, count: 5)
        #expect(steps.map { SVGPlot.label($0, among: steps) } == ["10", "20", "30"])
        #expect(SVGPlot.padded(2...2, pad: 0.05).contains(2) && SVGPlot.padded(2...2, pad: 0.05).lowerBound < 2, "a flat series still gets an axis")
        let empty = SVGPlot(title: "none", series: [.init(name: "x", points: [])])
        #expect(empty.html.description.isEmpty)
    }

    @Test func stagesFollowThePipelineThenSubmissionOrder() {
        func job(_ id: Int64, _ kind: JobKind, _ tags: [String]) -> JobRecord {
            JobRecord(id: id, kind: kind, name: nil, queue: "default", state: .queued, priority: 0, spec: .object([:]),
                      requirements: JobRequirements(), attempt: 0, attemptsUsed: 0, maxAttempts: 3, runAfter: Date(), workerID: nil,
                      leaseExpiresAt: nil, cancelRequested: false, idempotencyKey: nil, experiment: "e", tags: tags, progress: nil,
                      progressMessage: nil, result: nil, error: nil, createdAt: Date(), startedAt: nil, finishedAt: nil, dependsOn: [])
        }
        let jobs = [
            job(1, .eval, ["stage:eval", "variant:base"]), job(2, .sleep, ["stage:report"]), job(3, .train, ["variant:correct"]),
            job(4, .perturb, ["stage:perturb", "variant:shuffle 100%"]), job(5, .eval, ["stage:eval"]),
        ]
        let stages = ExperimentLive.stages(jobs)
        #expect(stages.map(\.name) == ["perturb", "train", "eval", "report"])
        #expect(stages[2].jobs.map(\.id) == [1, 5])
        #expect(ExperimentLive.label(of: jobs[3]) == "shuffle 100%" && ExperimentLive.label(of: jobs[1]) == "sleep")
    }
}
