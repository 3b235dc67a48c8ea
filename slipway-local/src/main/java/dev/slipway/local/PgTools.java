package dev.slipway.local;

import dev.slipway.core.target.TargetException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Runs {@code pg_dump} and {@code pg_restore} on this host, and checks that a database answers. */
final class PgTools {
    private static final Path DEBIAN_PG = Path.of("/usr/lib/postgresql");
    private final Path binDir;
    private final Clock clock;

    /** @param binDir directory holding pg_dump and pg_restore, or null to use the newest Debian install, then PATH */
    PgTools(Path binDir, Clock clock) {
        this.binDir = binDir;
        this.clock = clock;
    }

    /** Fails unless the database accepts a connection; "connection refused" and the like are transient. */
    void checkReachable(PgConnection db) {
        try (Connection c = connect(db)) {
            c.isValid(5);
        } catch (SQLException e) {
            String msg = "database " + db.describe() + " cannot be reached: " + db.scrub(e.getMessage())
                    + "; nothing was stopped. Check that it runs and the stage's database url/user/password";
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw TargetException.transientFailure(msg, e);
            }
            throw TargetException.permanent(msg, e);
        }
    }

    /** A JDBC connection to {@code db} with short connect and socket timeouts. */
    Connection connect(PgConnection db) throws SQLException {
        Properties props = new Properties();
        if (db.user() != null) {
            props.setProperty("user", db.user());
        }
        if (db.password() != null) {
            props.setProperty("password", db.password());
        }
        props.setProperty("connectTimeout", "5");
        props.setProperty("socketTimeout", "60");
        return DriverManager.getConnection(db.jdbcUrl(), props);
    }

    /** Creates database {@code name} on the server of {@code admin}, connected as its user. */
    void createDatabase(PgConnection admin, String name) throws SQLException {
        try (Connection c = connect(admin); java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + quote(name));
        }
    }

    /** Drops database {@code name} on the server of {@code admin} if it exists, ending the sessions still on it. */
    void dropDatabase(PgConnection admin, String name) throws SQLException {
        try (Connection c = connect(admin); java.sql.Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + quote(name) + " WITH (FORCE)");
        }
    }

    /**
     * Drops database {@code name} unless a session is connected to it; false when one is (SQLSTATE 55006), which is how
     * a live preflight's scratch database (held open by its guard connection) tells itself from a dead one's.
     */
    boolean dropDatabaseUnlessInUse(PgConnection admin, String name) throws SQLException {
        try (Connection c = connect(admin); java.sql.Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + quote(name));
            return true;
        } catch (SQLException e) {
            if ("55006".equals(e.getSQLState())) {
                return false;
            }
            throw e;
        }
    }

    /** The names of the databases on the server of {@code admin} that start with {@code prefix}. */
    List<String> databasesStartingWith(PgConnection admin, String prefix) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(admin);
             java.sql.PreparedStatement s = c.prepareStatement(
                     "SELECT datname FROM pg_database WHERE left(datname, length(?)) = ? ORDER BY datname")) {
            s.setString(1, prefix);
            s.setString(2, prefix);
            try (java.sql.ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** {@code pg_dump -Fc} of {@code db} into {@code file}. */
    void dump(PgConnection db, Path file, Instant deadline, Consumer<String> log) {
        run(List.of(tool("pg_dump"), "--format=custom", "--no-password", "--file=" + file, "--dbname=" + db.libpqUri()),
                db, "pg_dump of " + db.describe(), deadline, log);
    }

    /** {@code pg_restore --clean --if-exists --single-transaction} of {@code file} into {@code db}. */
    void restore(PgConnection db, Path file, Instant deadline, Consumer<String> log) {
        run(List.of(tool("pg_restore"), "--clean", "--if-exists", "--single-transaction", "--no-owner", "--no-password",
                "--exit-on-error", "--dbname=" + db.libpqUri(), file.toString()), db, "pg_restore into " + db.describe(),
                deadline, log);
    }

    /** {@code pg_restore --single-transaction --no-owner --no-acl} of {@code file} into the empty database {@code db}. */
    void restoreFresh(PgConnection db, Path file, Instant deadline, Consumer<String> log) {
        run(List.of(tool("pg_restore"), "--single-transaction", "--no-owner", "--no-acl", "--no-password", "--exit-on-error",
                "--dbname=" + db.libpqUri(), file.toString()), db, "pg_restore into " + db.describe(), deadline, log);
    }

    private void run(List<String> argv, PgConnection db, String what, Instant deadline, Consumer<String> log) {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
        pb.environment().putAll(db.toolEnvironment());
        Tail tail = new Tail(20);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw TargetException.permanent("cannot start " + argv.get(0) + ": " + e.getMessage()
                    + " (install the PostgreSQL client tools, e.g. apt-get install postgresql-client)", e);
        }
        Thread reader = new Thread(() -> pump(p, line -> {
            log.accept(line);
            tail.accept(line);
        }), "slipway-" + Path.of(argv.get(0)).getFileName());
        reader.setDaemon(true);
        reader.start();
        try {
            long waitMs = Math.max(1, Duration.between(clock.instant(), deadline).toMillis());
            if (!p.waitFor(waitMs, TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw TargetException.permanent(what + " did not finish in time" + Tail.describe(tail.lines()));
            }
            reader.join(2000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw TargetException.permanent(what + " was interrupted");
        }
        if (p.exitValue() != 0) {
            throw TargetException.permanent(what + " failed with exit code " + p.exitValue() + Tail.describe(tail.lines()));
        }
    }

    private static void pump(Process p, Consumer<String> lines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.accept(line);
            }
        } catch (IOException e) {
            // the process ended or was killed; its exit code tells the rest
        }
    }

    /** The tool's path: binDir, else the newest /usr/lib/postgresql/N/bin, else the bare name (PATH). */
    String tool(String name) {
        if (binDir != null) {
            return binDir.resolve(name).toString();
        }
        return newestDebianBin().map(dir -> dir.resolve(name)).filter(Files::isExecutable).map(Path::toString).orElse(name);
    }

    private static Optional<Path> newestDebianBin() {
        if (!Files.isDirectory(DEBIAN_PG)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_PG)) {
            List<Path> dirs = new ArrayList<>(versions.filter(d -> d.getFileName().toString().matches("\\d+")).toList());
            dirs.sort(Comparator.comparingInt(d -> Integer.parseInt(d.getFileName().toString())));
            return dirs.isEmpty() ? Optional.empty() : Optional.of(dirs.get(dirs.size() - 1).resolve("bin"));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
