/// The version stamped into every manifest SkyData writes.
public enum SkyDataVersion {
    /// Sky's version; bump when output bytes for the same input, spec and seed may change.
    public static let current = "0.2.0"
}
