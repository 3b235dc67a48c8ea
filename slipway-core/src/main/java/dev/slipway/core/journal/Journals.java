package dev.slipway.core.journal;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import org.flywaydb.core.Flyway;

/** Opens the journal store named by a JDBC URL (SQLite or PostgreSQL) and brings its schema up to date. */
public final class Journals {
    /** Versions of {@code db/journal}; when the store already has all of them, Flyway is not started at all. */
    private static final Set<String> SCHEMA_VERSIONS = Set.of("1");

    private Journals() {
    }

    /** The default store: {@code .slipway/state.db} under {@code projectDir}. */
    public static String defaultUrl(Path projectDir) {
        return "jdbc:sqlite:" + projectDir.resolve(".slipway").resolve("state.db");
    }

    /**
     * Opens the store; a bad URL, an unreachable server or a failed schema migration is a {@link SlipwayException}
     * with {@link ErrorCode#STATE_STORE} that names the store (never its password).
     */
    public static Journal open(String url, String user, String password) {
        boolean sqlite = url.startsWith("jdbc:sqlite:");
        if (!sqlite && !url.startsWith("jdbc:postgresql:")) {
            throw new SlipwayException(ErrorCode.STATE_STORE, "state store '" + redact(url)
                    + "' is not supported: use jdbc:sqlite:FILE or jdbc:postgresql://host:port/db");
        }
        try {
            if (sqlite) {
                prepareSqliteDir(url);
            }
            Connection c = connect(url, user, password, sqlite);
            if (!schemaCurrent(c)) {
                migrate(url, user, password);
            }
            return new JdbcJournal(c);
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SlipwayException se) {
                throw se;
            }
            throw new SlipwayException(ErrorCode.STATE_STORE, "cannot open state store " + redact(url) + ": "
                    + (password == null ? rootMessage(e) : rootMessage(e).replace(password, "****"))
                    + " (check state.url / SLIPWAY_STATE_URL, that the database is running and the credentials)", e);
        }
    }

    private static void prepareSqliteDir(String url) throws SQLException {
        String file = url.substring("jdbc:sqlite:".length());
        int q = file.indexOf('?');
        Path parent = Path.of(q < 0 ? file : file.substring(0, q)).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create directory " + parent + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(String url, String user, String password, boolean sqlite) throws SQLException {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        if (sqlite) {
            props.setProperty("journal_mode", "WAL");
            props.setProperty("busy_timeout", "15000");
            props.setProperty("transaction_mode", "IMMEDIATE");
            props.setProperty("foreign_keys", "true");
        } else {
            props.setProperty("connectTimeout", "10");
            props.setProperty("ApplicationName", "slipway");
        }
        return DriverManager.getConnection(url, props);
    }

    private static boolean schemaCurrent(Connection c) {
        Set<String> applied = new HashSet<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select version from slipway_schema_history where success")) {
            while (rs.next()) {
                applied.add(rs.getString(1));
            }
        } catch (SQLException e) {
            rollbackQuietly(c);
            return false;
        }
        return applied.containsAll(SCHEMA_VERSIONS);
    }

    private static void rollbackQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is unusable anyway; migrate() opens its own
        }
    }

    private static void migrate(String url, String user, String password) {
        Flyway.configure(Journals.class.getClassLoader())
                .dataSource(url, user, password)
                .locations("classpath:db/journal")
                .table("slipway_schema_history")
                .load()
                .migrate();
    }

    /** The URL with any password parameter masked, for messages. */
    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
