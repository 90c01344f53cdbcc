/// The label value that takes no loss.
public enum LossMask {
    /// PyTorch's `ignore_index`.
    public static let ignore: Int32 = -100
}
