package dev.slipway.core.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlSplitterTest {
    private static List<Integer> lines(List<SqlStatement> statements) {
        return statements.stream().map(SqlStatement::line).toList();
    }

    @Test
    void split_plainStatements_eachStartsOnItsOwnLine() {
        List<SqlStatement> s = SqlSplitter.split("CREATE TABLE a (x int);\n\n  ALTER TABLE a\n  ADD COLUMN y int;\n");

        assertThat(lines(s)).containsExactly(1, 3);
        assertThat(s.get(1).shown()).isEqualTo("ALTER TABLE a");
        assertThat(s.get(1).text()).isEqualTo("ALTER TABLE a\n  ADD COLUMN y int");
    }

    @Test
    void split_dollarQuotedBodies_keepTheirSemicolons() {
        String sql = "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END; $$ LANGUAGE plpgsql;\n"
                + "CREATE FUNCTION g() RETURNS int AS $body$ SELECT 1; $$ not the end; $body$ LANGUAGE sql;\n"
                + "PREPARE p AS SELECT $1; SELECT 2;";

        List<SqlStatement> s = SqlSplitter.split(sql);

        assertThat(s).hasSize(4);
        assertThat(s.get(1).text()).endsWith("$body$ LANGUAGE sql");
        assertThat(s.get(1).code()).doesNotContain("not the end");
        assertThat(s.get(2).text()).isEqualTo("PREPARE p AS SELECT $1");
    }

    @Test
    void split_commentsAndLiterals_hideSemicolonsAndMoveTheStartLine() {
        String sql = "-- header; with a semicolon\n"
                + "/* outer /* nested; */ still comment; */\n"
                + "INSERT INTO t VALUES ('a;b', E'it\\'s;', \"we;ird\"); -- trailing; comment\n"
                + "SELECT 1";

        List<SqlStatement> s = SqlSplitter.split(sql);

        assertThat(lines(s)).containsExactly(3, 4);
        assertThat(s.get(0).text()).isEqualTo("INSERT INTO t VALUES ('a;b', E'it''s;', \"we;ird\")");
        assertThat(s.get(0).code()).doesNotContain("a;b").doesNotContain("we;ird").hasSameSizeAs(s.get(0).text());
        assertThat(s.get(1).text()).isEqualTo("SELECT 1");
    }

    @Test
    void split_commentInsideStatement_isBlankedNotJoined() {
        List<SqlStatement> s = SqlSplitter.split("ALTER TABLE a -- why\n  DROP COLUMN b;");

        assertThat(s).singleElement().satisfies(st -> {
            assertThat(st.text()).isEqualTo("ALTER TABLE a       \n  DROP COLUMN b");
            assertThat(st.shown()).isEqualTo("ALTER TABLE a");
        });
    }

    @Test
    void split_onlyCommentsAndSemicolons_hasNoStatement() {
        assertThat(SqlSplitter.split("-- nothing\n;\n/* at all */ ;")).isEmpty();
    }
}
