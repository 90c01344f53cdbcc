/// One training sequence: token ids and labels of the same length, −100 where no loss is taken
/// (Hugging Face's `input_ids` / `labels`; the shift so that position t predicts label t + 1 happens inside).
public struct TrainingSequence: Sendable, Equatable {
    /// Token ids (T).
    public var inputIds: [Int32]
    /// Labels (T): usually the ids themselves with the prompt masked to −100.
    public var labels: [Int32]

    /// A sequence whose labels are `labels` (defaults to every token).
    public init(inputIds: [Int32], labels: [Int32]? = nil) {
        precondition(labels == nil || labels?.count == inputIds.count, "labels must have one entry per token")
        self.inputIds = inputIds
        self.labels = labels ?? inputIds
    }

    /// From a token list and an assistant mask (`Tokenizer.encodeChat`): loss on masked-in tokens only.
    public init(ids: [Int32], lossMask: [Bool]) {
        precondition(ids.count == lossMask.count, "one mask entry per token")
        self.init(inputIds: ids, labels: zip(ids, lossMask).map { $1 ? $0 : LossMask.ignore })
    }

    /// Row t's target: label t + 1, and −100 for the last row (nothing follows it).
    public var shiftedTargets: [Int32] { Array(labels.dropFirst()) + [LossMask.ignore] }

    /// Tokens that carry loss after the shift.
    public var labelTokenCount: Int { labels.dropFirst().filter { $0 != LossMask.ignore }.count }
}
