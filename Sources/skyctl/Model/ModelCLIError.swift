/// A failure of a `skyctl model` command, already phrased for the user (what went wrong and where).
struct ModelCLIError: Error, CustomStringConvertible {
    /// The message printed after "Error: ".
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
