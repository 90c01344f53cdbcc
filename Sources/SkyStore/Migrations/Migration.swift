/// One numbered schema change, from `migrations/NNNN_name.sql`, embedded in the binary at build time.
public struct Migration: Sendable, Hashable {
    /// The number in the file name; migrations apply in increasing order.
    public var version: Int
    /// The rest of the file name, without the extension.
    public var name: String
    /// The file's SQL.
    public var sql: String

    /// Creates a migration.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// FNV-1a of the SQL, stored when applied so a later edit of an applied file is noticed.
    public var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Every migration shipped with this binary, in order.
    public static let all: [Migration] = EmbeddedMigrations.all.sorted { $0.version < $1.version }
}
