public import Foundation
import SkyCore

/// The table of `skyctl experiments`.
public enum ExperimentTable {
    /// One row per experiment, most recently active first as the server orders them.
    public static func render(_ experiments: [Experiment], now: Date) -> String {
        var table = TextTable(headers: ["EXPERIMENT", "JOBS", "STATES", "CREATED", "UPDATED"], rightAligned: [1])
        for experiment in experiments {
            table.append([
                experiment.name, String(experiment.total), countsText(experiment.counts),
                TimeText.relative(experiment.createdAt, now: now), TimeText.relative(experiment.updatedAt, now: now),
            ])
        }
        return table.render()
    }

    /// `3 succeeded, 1 running`: the non-zero states in lifecycle order.
    public static func countsText(_ counts: StateCounts) -> String {
        let parts = JobState.allCases.compactMap { state in counts[state] > 0 ? "\(counts[state]) \(state.rawValue)" : nil }
        return parts.isEmpty ? "none" : parts.joined(separator: ", ")
    }
}
