/// Sky's release version, recorded with workers and every eval so results can be traced to code.
public enum SkyVersion {
    /// The version string.
    public static let current = "0.2.0"
}
