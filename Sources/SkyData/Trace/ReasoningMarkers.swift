/// The section markers of Sky-T1's assistant turn.
public enum ReasoningMarkers {
    /// Opens the Thought section.
    public static let beginThought = "<|begin_of_thought|>"
    /// Closes the Thought section.
    public static let endThought = "<|end_of_thought|>"
    /// Opens the Solution section.
    public static let beginSolution = "<|begin_of_solution|>"
    /// Closes the Solution section.
    public static let endSolution = "<|end_of_solution|>"
}
