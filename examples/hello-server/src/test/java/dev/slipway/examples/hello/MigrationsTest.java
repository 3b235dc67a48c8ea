package dev.slipway.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {

    @Test
    void locations_extraDirMissing_onlyClasspath(@TempDir Path tmp) {
        assertThat(Migrations.locations(tmp.resolve("absent"))).containsExactly("classpath:db/migration");
    }

    @Test
    void locations_extraDirExists_addsFilesystemLocation(@TempDir Path tmp) {
        assertThat(Migrations.locations(tmp)).containsExactly("classpath:db/migration", "filesystem:" + tmp);
    }

    @Test
    void schemaWarning_atOrAboveRequired_none() {
        assertThat(Migrations.schemaWarning(Optional.of(Migrations.REQUIRED))).isEmpty();
        assertThat(Migrations.schemaWarning(Optional.of(MigrationVersion.fromVersion("5")))).isEmpty();
    }

    @Test
    void schemaWarning_behindOrUnmigrated_saysWhatToRun() {
        assertThat(Migrations.schemaWarning(Optional.of(MigrationVersion.fromVersion("2"))))
                .hasValueSatisfying(w -> assertThat(w).contains("version 2", "needs 3", "migrate"));
        assertThat(Migrations.schemaWarning(Optional.empty()))
                .hasValueSatisfying(w -> assertThat(w).contains("no migrations applied"));
    }

    @Test
    void classpath_shipsTheMigrationsThisCodeNeeds() {
        ClassLoader loader = getClass().getClassLoader();
        assertThat(loader.getResource("db/migration/V1__create_greetings.sql")).isNotNull();
        assertThat(loader.getResource("db/migration/V3__add_greetings_name_length.sql")).isNotNull();
    }
}
