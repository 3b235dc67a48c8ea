package dev.slipway.core.migrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PendingMigrationsTest {
    private static final List<String> FLYWAY = List.of("db/migration/*.sql");
    private static final List<String> PRISMA = List.of("prisma/migrations/*/migration.sql");

    @Test
    void select_addedFilesMatchingAGlob_arePendingInFlywayVersionOrder() {
        PendingMigrations p = PendingMigrations.select(FLYWAY, List.of(
                Change.added("db/migration/V10__c.sql"),
                Change.added("db/migration/R__views.sql"),
                Change.added("src/main/java/App.java"),
                Change.added("db/migration/V9__b.sql"),
                Change.added("db/migration/old/V1__nested.sql"),
                Change.added("db/migration/V9_1__b2.sql")));

        assertThat(p.files()).containsExactly("db/migration/V9__b.sql", "db/migration/V9_1__b2.sql",
                "db/migration/V10__c.sql", "db/migration/R__views.sql");
        assertThat(p.reasons()).isEmpty();
    }

    @Test
    void select_prismaDirectories_runInTimestampOrder() {
        PendingMigrations p = PendingMigrations.select(PRISMA, List.of(
                Change.added("prisma/migrations/20240502000000_b/migration.sql"),
                Change.added("prisma/migrations/migration_lock.toml"),
                Change.added("prisma/migrations/20240501000000_a/migration.sql")));

        assertThat(p.files()).containsExactly("prisma/migrations/20240501000000_a/migration.sql",
                "prisma/migrations/20240502000000_b/migration.sql");
    }

    @Test
    void select_editedAppliedMigration_isAFileReasonNotPending() {
        PendingMigrations p = PendingMigrations.select(FLYWAY, List.of(Change.modified("db/migration/V3__x.sql")));

        assertThat(p.files()).isEmpty();
        assertThat(p.reasons()).singleElement().satisfies(r -> {
            assertThat(r.file()).isEqualTo("db/migration/V3__x.sql");
            assertThat(r.line()).isZero();
            assertThat(r.why()).startsWith("edits a migration the live release already applied");
        });
    }

    @Test
    void select_editedRepeatableMigration_isPendingBecauseFlywayRunsItAgain() {
        PendingMigrations p = PendingMigrations.select(FLYWAY, List.of(Change.modified("db/migration/R__views.sql")));

        assertThat(p.files()).containsExactly("db/migration/R__views.sql");
        assertThat(p.reasons()).isEmpty();
    }

    @Test
    void select_deletedOrRenamedAppliedMigrations_areFileReasons() {
        PendingMigrations p = PendingMigrations.select(FLYWAY, List.of(
                Change.deleted("db/migration/V1__a.sql"),
                Change.renamed("db/migration/V2__b.sql", "db/migration/V5__b.sql"),
                Change.renamed("db/migration/V3__c.sql", "attic/V3__c.sql"),
                Change.deleted("docs/old.md")));

        assertThat(p.files()).isEmpty();
        assertThat(p.reasons()).extracting(Reason::file)
                .containsExactly("db/migration/V1__a.sql", "db/migration/V5__b.sql", "db/migration/V3__c.sql");
        assertThat(p.reasons().get(1).why()).contains("db/migration/V2__b.sql").contains("run again");
        assertThat(p.reasons().get(2).why()).startsWith("deletes a migration");
    }

    @Test
    void select_fileMovedIntoTheMigrationsDirectory_isPending() {
        PendingMigrations p = PendingMigrations.select(FLYWAY,
                List.of(Change.renamed("drafts/V6__d.sql", "db/migration/V6__d.sql")));

        assertThat(p.files()).containsExactly("db/migration/V6__d.sql");
        assertThat(p.reasons()).isEmpty();
    }

    @Test
    void classify_withAnEditedAppliedMigration_isBreakingAndRendersWithoutALine() {
        PendingMigrations p = PendingMigrations.select(FLYWAY, List.of(
                Change.modified("db/migration/V3__x.sql"), Change.added("db/migration/V4__y.sql")));

        Classification c = MigrationClassifier.classify(
                List.of(new MigrationSource("db/migration/V4__y.sql", "CREATE TABLE y (id int);")), p.reasons());

        assertThat(c.cls()).isEqualTo(MigrationClass.BREAKING);
        assertThat(c.files()).extracting(FileResult::file, FileResult::cls).containsExactly(
                org.assertj.core.groups.Tuple.tuple("db/migration/V3__x.sql", MigrationClass.BREAKING),
                org.assertj.core.groups.Tuple.tuple("db/migration/V4__y.sql", MigrationClass.EXPAND));
        assertThat(c.reasons()).singleElement().extracting(Reason::render).asString()
                .startsWith("db/migration/V3__x.sql — edits a migration the live release already applied");
    }

    @Test
    void classify_nothingPending_isNone() {
        PendingMigrations p = PendingMigrations.select(FLYWAY, List.of(Change.modified("README.md")));

        Classification c = MigrationClassifier.classify(List.of(), p.reasons());

        assertThat(c.cls()).isEqualTo(MigrationClass.NONE);
        assertThat(c.online()).isTrue();
        assertThat(c.files()).isEmpty();
    }

    @Test
    void parseNameStatus_readsGitOutputIncludingRenamesAndCopies() {
        String output = "A\tdb/migration/V4__a.sql\nM\tdb/migration/V1__b.sql\nD\tdb/migration/V2__c.sql\n"
                + "R087\tdb/migration/V3__d.sql\tdb/migration/V3__e.sql\nC100\tx.sql\ty.sql\nT\tlink.sql\n";

        assertThat(Change.parseNameStatus(output)).containsExactly(
                Change.added("db/migration/V4__a.sql"),
                Change.modified("db/migration/V1__b.sql"),
                Change.deleted("db/migration/V2__c.sql"),
                Change.renamed("db/migration/V3__d.sql", "db/migration/V3__e.sql"),
                new Change(Change.Kind.COPIED, "y.sql", "x.sql"),
                new Change(Change.Kind.TYPE_CHANGED, "link.sql", "link.sql"));
    }

    @Test
    void parseNameStatus_unknownStatus_saysWhichLine() {
        assertThatThrownBy(() -> Change.parseNameStatus("X\tfoo.sql"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X\tfoo.sql");
    }
}
