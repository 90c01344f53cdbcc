public import SkyCore

/// A stored value this binary does not know (a kind or state written by a newer Sky), named by table, row and column.
/// Reading it as some default instead would run an unknown kind as another, or show a job in a state it is not in.
public struct UnknownStoredValue: Error, CustomStringConvertible, Equatable, Sendable {
    public var table: String
    public var row: Int64
    public var column: String
    public var value: String

    public var description: String {
        "\(table) row \(row) has \(column) '\(value)', which this Sky (\(SkyVersion.current)) does not know; "
            + "it was written by a newer version: upgrade this server and its workers"
    }

    /// The `T` that `raw` names, or an error naming the row and column.
    static func decode<T: RawRepresentable>(_ type: T.Type, _ raw: String, table: String, row: Int64, column: String) throws -> T
    where T.RawValue == String {
        guard let value = T(rawValue: raw) else { throw UnknownStoredValue(table: table, row: row, column: column, value: raw) }
        return value
    }
}
