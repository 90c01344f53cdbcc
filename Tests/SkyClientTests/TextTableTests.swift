import SkyClient
import Testing

@Suite struct TextTableTests {
    @Test func columnsAreSizedToTheirWidestCellAndIgnoreColourEscapes() {
        var table = TextTable(headers: ["ID", "NAME", "STATUS"], rightAligned: [0])
        table.append(["7", "short", TerminalStyle(enabled: true).paint("RUNNING", .blue)])
        table.append(["123", "a longer name", "FAILED"])
        let lines = table.render().split(separator: "\n").map(String.init)
        #expect(lines[0] == " ID  NAME           STATUS")
        #expect(lines[1] == "  7  short          \u{1B}[34mRUNNING\u{1B}[0m")
        #expect(lines[2] == "123  a longer name  FAILED")
    }

    @Test func missingCellsAreBlankAndTrailingSpaceIsTrimmed() {
        var table = TextTable(headers: ["A", "B"])
        table.append(["x"])
        #expect(table.render() == "A  B\nx")
    }

    @Test func stylingIsOffUnlessEnabled() {
        #expect(TerminalStyle(enabled: false).paint("OK", .green) == "OK")
        #expect(TerminalStyle.visibleWidth(TerminalStyle(enabled: true).paint("OK", .green)) == 2)
    }
}
