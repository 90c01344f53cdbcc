public import SkyCore

/// Cuts a Thought block into reasoning steps.
public protocol StepSegmenter: Sendable {
    /// The steps of `thought`, with the whitespace around them.
    func segment(_ thought: String) -> StepSplit
}

/// Builds the segmenter a spec names.
public enum StepSegmenters {
    /// The segmenter for a spec's setting (blank lines unless it names `reflectionCues`).
    public static func make(_ setting: PerturbSpec.Segmenter) -> any StepSegmenter {
        switch setting.kind {
        case "reflectionCues": ReflectionCueSegmenter(cues: setting.cues ?? ReflectionCues.defaults)
        default: BlankLineSegmenter()
        }
    }
}
