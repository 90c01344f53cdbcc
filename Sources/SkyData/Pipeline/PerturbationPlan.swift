public import Foundation
public import SkyCore

/// Turns a spec's perturbation list into runnable `Perturbation`s, in the spec's order.
///
/// `insert` needs donor steps from the whole dataset and `remove_keywords` and `wrong_answer` at 0 < r < 1
/// need the number of samples to choose exactly round(r·N) of them, so `needsStepPool` and `selectedPositions`
/// tell the pipeline to make a first pass; `wrong_answer` with `wrongSamples` loads that (small) dataset into
/// memory, keyed by question.
public struct PerturbationPlan: Sendable {
    /// The spec entries, in application order.
    public let entries: [PerturbSpec.Perturbation]
    /// The segmenter the structure perturbations use.
    public let segmenter: any StepSegmenter

    /// Creates a plan; call `validate()` on the spec first.
    public init(perturbations: [PerturbSpec.Perturbation], segmenter: PerturbSpec.Segmenter = .init()) {
        entries = perturbations
        self.segmenter = StepSegmenters.make(segmenter)
    }

    /// Whether a first pass must collect donor steps.
    public var needsStepPool: Bool { entries.contains { $0.kind == .insert } }

    /// Positions of the sample-level perturbations whose selection needs a first pass (0 < r < 1).
    public var selectedPositions: [Int] {
        entries.indices.filter { [.removeKeywords, .wrongAnswer].contains(entries[$0].kind) && entries[$0].ratio > 0 && entries[$0].ratio < 1 }
    }

    /// The perturbations, built with the donor pool, the first pass's selections (by position) and a resolver
    /// for `wrongSamples` datasets. A sample-level perturbation at r = 0 or 1 needs no selection from the pass.
    public func build(
        pool: StepPool?, selections: [Int: SampleSelection] = [:], resolve: (PerturbSpec.DatasetReference) throws -> URL
    ) throws -> [any Perturbation] {
        try entries.enumerated().map { position, entry throws -> any Perturbation in
            let selection = { () throws -> SampleSelection in
                if let chosen = selections[position] { return chosen }
                if entry.ratio >= 1 { return .all }
                if entry.ratio <= 0 { return .none }
                throw DatasetError(field: "/perturbations/\(position)", message: "no first-pass selection for ratio \(entry.ratio)")
            }
            switch entry.kind {
            case .wrongAnswer?:
                let substitutes = try entry.wrongSamples.map { try Self.loadSubstitutes(from: resolve($0)) }
                return WrongAnswer(selection: try selection(), substitutes: substitutes)
            case .corruptDigits?: return CorruptDigits(ratio: entry.ratio)
            case .removeKeywords?: return RemoveKeywords(selection: try selection(), keywords: entry.keywords)
            case .shuffle?: return ShuffleSteps(ratio: entry.ratio, segmenter: segmenter)
            case .delete?: return DeleteSteps(ratio: entry.ratio, segmenter: segmenter)
            case .insert?: return InsertSteps(ratio: entry.ratio, pool: pool ?? StepPool(donors: []), segmenter: segmenter)
            case nil:
                throw DatasetError(field: "/perturbations/\(position)/type", message: "unknown perturbation '\(entry.type)'")
            }
        }
    }

    /// The wrong samples of a dataset: question key → assistant turn (the first one per question).
    static func loadSubstitutes(from url: URL) throws -> [String: String] {
        var reader = try DatasetReader(url: url)
        var substitutes: [String: String] = [:]
        while let entry = try reader.next() {
            guard let question = entry.record.question, let response = entry.record.response else { continue }
            let key = QuestionKey.key(question)
            if substitutes[key] == nil { substitutes[key] = response }
        }
        return substitutes
    }
}
