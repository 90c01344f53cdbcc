import Foundation

extension DatasetStatistics {
    /// The statistics as lines for a terminal; real token counts come first when they were counted.
    public var text: String {
        var lines = ["samples: \(samples)" + (invalid > 0 ? " (\(invalid) invalid skipped)" : "")]
        if !tokensPerSample.isEmpty {
            let all = Distribution(tokensPerSample), assistant = Distribution(assistantTokensPerSample)
            lines.append("tokens: \(all.total) total; per sample \(Self.describe(all))")
            lines.append("assistant tokens: \(assistant.total) total; per sample \(Self.describe(assistant))")
        }
        lines.append("approximate tokens: \(tokens) (assistant \(assistantTokens))")
        lines.append("steps per sample: \(Self.describe(Distribution(stepsPerSample)))")
        lines.append("reflection keywords per sample: \(Self.describe(Distribution(keywordsPerSample)))")
        lines.append("with Thought markers: \(withThoughtMarkers); with Solution: \(withSolution)")
        let kinds = answerKinds.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
        lines.append("answer kinds: " + (kinds.isEmpty ? "none" : kinds.map { "\($0.key) \($0.value)" }.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }

    private static func describe(_ d: Distribution) -> String {
        guard d.count > 0 else { return "n/a" }
        return String(format: "mean %.1f, median %d, max %d", d.mean, d.median, d.max)
    }
}
