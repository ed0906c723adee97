import Testing
import TuttiStore

@Suite("Splitting migration files into statements")
struct SQLScriptTests {
    @Test func statementsAreCutAtTopLevelSemicolons() {
        let statements = SQLScript.statements(in: "CREATE TABLE a (x int);\nCREATE TABLE b (y int);\n")
        #expect(statements.map(\.sql) == ["CREATE TABLE a (x int)", "CREATE TABLE b (y int)"])
        #expect(statements.map(\.line) == [1, 2])
    }

    @Test func semicolonsInsideQuotesCommentsAndDollarBodiesDoNotCut() {
        let script = """
            -- a comment; with a semicolon
            INSERT INTO t VALUES ('a;b', "we;ird", E'it\\'s;');
            /* block; /* nested; */ still */ SELECT 1;
            CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;
            DO $$ BEGIN PERFORM 1; END $$;
            SELECT $1;
            """
        let statements = SQLScript.statements(in: script)
        #expect(statements.count == 5)
        #expect(statements[0].sql.hasSuffix("E'it\\'s;')"))
        #expect(statements[2].sql.contains("$body$ SELECT 1; $body$"))
        #expect(statements[3].sql == "DO $$ BEGIN PERFORM 1; END $$")
        #expect(statements[4].sql == "SELECT $1")
    }

    @Test func trailingCommentIsNotAStatement() {
        #expect(SQLScript.statements(in: "SELECT 1;\n-- done\n").count == 1)
    }
}
