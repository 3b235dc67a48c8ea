package dev.slipway.core.migrations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationClassifierTest {
    private static Classification classify(String path, String sql) {
        return MigrationClassifier.classify(List.of(new MigrationSource(path, sql)));
    }

    @Test
    void classify_droppedColumn_rendersTheLineThePlanPrints() {
        Classification c = classify("db/migration/V7__drop_legacy.sql",
                "-- legacy is unused since V5\n\nALTER TABLE users DROP COLUMN legacy;\n");

        assertThat(c.reasons()).extracting(Reason::render).containsExactly("db/migration/V7__drop_legacy.sql:3"
                + " ALTER TABLE users DROP COLUMN legacy — drops column legacy, which the old release may still use");
    }

    @Test
    void classify_unparsableStatement_isBreakingButLaterStatementsAreStillRead() {
        Classification c = classify("V1__x.sql",
                "REINDEX INDEX CONCURRENTLY i;\nALTER TABLE t DROP COLUMN c;\nCREATE TABLE ok (id int);");

        assertThat(c.reasons()).extracting(Reason::line, Reason::why).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, StatementRules.NOT_UNDERSTOOD),
                org.assertj.core.groups.Tuple.tuple(2, "drops column c, which the old release may still use"));
    }

    @Test
    void classify_notValidInsideAString_doesNotExcuseTheConstraint() {
        Classification c = classify("V1__x.sql",
                "ALTER TABLE t ADD CONSTRAINT c CHECK (status <> 'not valid');");

        assertThat(c.cls()).isEqualTo(MigrationClass.BREAKING);
        assertThat(c.reasons()).singleElement().extracting(Reason::why).asString().contains("without NOT VALID");
    }

    @Test
    void classify_doBlock_saysItWasNotAnalysed() {
        Classification c = classify("V1__x.sql", "DO $$ BEGIN PERFORM 1; END $$;");

        assertThat(c.reasons()).singleElement().extracting(Reason::why).isEqualTo("DO block: not analysed");
    }

    @Test
    void classify_quotedAndUnquotedNames_followPostgresFolding() {
        Classification same = classify("V1__x.sql",
                "CREATE TABLE Parcels (id int);\nALTER TABLE public.parcels ADD COLUMN w int NOT NULL;");
        Classification other = classify("V1__x.sql",
                "CREATE TABLE \"Parcels\" (id int);\nALTER TABLE parcels ADD COLUMN w int NOT NULL;");

        assertThat(same.cls()).isEqualTo(MigrationClass.EXPAND);
        assertThat(other.cls()).isEqualTo(MigrationClass.BREAKING);
    }

    @Test
    void classify_quotedNames_appearWholeInReasons() {
        Classification c = classify("m.sql", "DROP INDEX \"User email key\";\n"
                + "ALTER TABLE \"User\" ADD CONSTRAINT \"User_email_key\" UNIQUE USING INDEX \"User email idx\";");

        assertThat(c.reasons()).extracting(Reason::render).containsExactly(
                "m.sql:1 DROP INDEX \"User email key\" — drops index \"User email key\", which the old release may"
                        + " still use");
    }
}
