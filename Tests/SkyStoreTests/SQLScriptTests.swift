@testable import SkyStore
import Testing

@Suite struct SQLScriptTests {
    @Test func splitsOnTopLevelSemicolons() {
        #expect(SQLScript.statements("CREATE TABLE a (x int); CREATE TABLE b (y int);\n") == [
            "CREATE TABLE a (x int)", "CREATE TABLE b (y int)",
        ])
    }

    @Test func semicolonsInsideQuotesCommentsAndDollarBodiesDoNotSplit() {
        let script = """
            -- a comment; with a semicolon
            INSERT INTO t VALUES ('a;b', 'it''s; fine');
            /* block; /* nested; */ still comment; */
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$ BEGIN RETURN 1; END $body$;
            SELECT "odd;name" FROM t WHERE x = $1;
            """
        let statements = SQLScript.statements(script)
        #expect(statements.count == 3)
        #expect(statements[0].hasSuffix("VALUES ('a;b', 'it''s; fine')"))
        #expect(statements[1].contains("$body$ BEGIN RETURN 1; END $body$"))
        #expect(statements[2].hasPrefix("SELECT \"odd;name\""))
    }

    @Test func commentOnlyPiecesAreDropped() {
        #expect(SQLScript.statements("-- nothing here\n;\n/* nor here */") == [])
    }

    @Test func shippedMigrationsSplitIntoStatements() {
        let first = Migration.all.first { $0.version == 1 }
        #expect(first != nil)
        let statements = SQLScript.statements(first?.sql ?? "")
        #expect(statements.contains { $0.hasPrefix("CREATE TABLE jobs") })
        #expect(statements.contains { $0.contains("CREATE FUNCTION sky_notify_queues") && $0.hasSuffix("$$") })
    }
}
