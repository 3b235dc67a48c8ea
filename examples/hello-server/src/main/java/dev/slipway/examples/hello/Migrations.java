package dev.slipway.examples.hello;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateOutput;
import org.flywaydb.core.api.output.MigrateResult;

/** Runs Flyway for the {@code migrate} command and checks the schema version for {@code serve}. */
final class Migrations {

    /** The schema version this code needs: the newest migration shipped inside the jar. */
    static final MigrationVersion REQUIRED = MigrationVersion.fromVersion("3");

    private Migrations() {
    }

    /** Classpath migrations plus the extra directory when it exists (images add SQL files there). */
    static List<String> locations(Path extraDir) {
        List<String> locations = new ArrayList<>(List.of("classpath:db/migration"));
        if (Files.isDirectory(extraDir)) {
            locations.add("filesystem:" + extraDir.toAbsolutePath());
        }
        return locations;
    }

    /** Applies pending migrations; returns the process exit code. */
    static int migrate(Config config, PrintStream out, PrintStream err) {
        List<String> locations = locations(config.migrationsDir());
        out.println("migrate: locations " + String.join(", ", locations));
        try {
            MigrateResult result = Flyway.configure()
                    .dataSource(config.databaseUrl(), config.databaseUser(), config.databasePassword())
                    .locations(locations.toArray(String[]::new))
                    .load()
                    .migrate();
            report(result, out);
            return 0;
        } catch (FlywayException e) {
            err.println("migrate: FAILED: " + e.getMessage());
            return 1;
        }
    }

    private static void report(MigrateResult result, PrintStream out) {
        for (MigrateOutput applied : result.migrations) {
            out.printf("migrate: applied %s %s (%d ms)%n", applied.version, applied.description,
                    applied.executionTime);
        }
        out.printf("migrate: schema version %s -> %s, %d applied%n", orNone(result.initialSchemaVersion),
                orNone(result.targetSchemaVersion == null ? result.initialSchemaVersion : result.targetSchemaVersion),
                result.migrationsExecuted);
    }

    private static String orNone(String version) {
        return version == null ? "none" : version;
    }

    /** The newest successfully applied version, or empty when Flyway never ran on this database. */
    static Optional<MigrationVersion> current(DataSource dataSource) throws SQLException {
        String sql = "select version from flyway_schema_history where success and version is not null";
        try (Connection c = dataSource.getConnection()) {
            if (!hasHistoryTable(c)) {
                return Optional.empty();
            }
            MigrationVersion newest = null;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                while (rs.next()) {
                    MigrationVersion v = MigrationVersion.fromVersion(rs.getString(1));
                    newest = newest == null || v.isNewerThan(newest) ? v : newest;
                }
            }
            return Optional.ofNullable(newest);
        }
    }

    private static boolean hasHistoryTable(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select to_regclass('flyway_schema_history') is not null")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** A warning when the database is behind what this code needs, else empty. */
    static Optional<String> schemaWarning(Optional<MigrationVersion> current) {
        if (current.isEmpty()) {
            return Optional.of("database has no migrations applied; this version needs schema " + REQUIRED
                    + ": run the 'migrate' command");
        }
        if (current.get().isAtLeast(REQUIRED.getVersion())) {
            return Optional.empty();
        }
        return Optional.of("database schema is at version " + current.get() + ", this version needs " + REQUIRED
                + ": run the 'migrate' command");
    }
}
