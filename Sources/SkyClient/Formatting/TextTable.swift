/// Left-aligned columns separated by two spaces, sized to their widest cell; ANSI escapes take no width.
public struct TextTable: Sendable {
    /// Column titles.
    public var headers: [String]
    /// Cells, one array per row, as many as `headers`.
    public var rows: [[String]] = []
    /// Columns aligned right (numbers).
    public var rightAligned: Set<Int> = []

    /// A table with `headers` and no rows.
    public init(headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    /// Adds a row; missing cells are blank.
    public mutating func append(_ row: [String]) {
        rows.append(row + Array(repeating: "", count: max(0, headers.count - row.count)))
    }

    /// The table as lines without trailing spaces, header first.
    public func render() -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { TerminalStyle.visibleWidth($0[column]) }.max() ?? 0 }
        return all.map { row in
            var line = ""
            for (column, cell) in row.prefix(headers.count).enumerated() {
                let padding = String(repeating: " ", count: widths[column] - TerminalStyle.visibleWidth(cell))
                if column > 0 { line += "  " }
                line += rightAligned.contains(column) ? padding + cell : cell + padding
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }
}
