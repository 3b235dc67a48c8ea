package dev.slipway.core.journal;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import org.flywaydb.core.Flyway;

/** Opens the journal store named by a JDBC URL (SQLite or PostgreSQL) and brings its schema up to date. */
public final class Journals {
    /** Versions of {@code db/journal}; when the store already has all of them, Flyway is not started at all. */
    private static final Set<String> SCHEMA_VERSIONS = Set.of("1", "2", "3");

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
        HikariDataSource pool = null;
        try {
            if (sqlite) {
                prepareSqliteFile(url);
            }
            pool = new HikariDataSource(config(url, user, password, sqlite));
            boolean current;
            try (Connection c = pool.getConnection()) {
                current = schemaCurrent(c);
            }
            if (!current) {
                migrate(pool);
            }
            return new JdbcJournal(pool, pool, Dialect.of(url), location(url));
        } catch (SQLException | RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            if (e instanceof SlipwayException se) {
                throw se;
            }
            throw new SlipwayException(ErrorCode.STATE_STORE, "cannot open state store " + redact(url) + ": "
                    + dev.slipway.core.Redact.text(password == null || password.isEmpty() ? rootMessage(e)
                            : rootMessage(e).replace(password, dev.slipway.core.Redact.MASK))
                    + " (check state.url / SLIPWAY_STATE_URL, that the database is running and the credentials)", e);
        }
    }

    /**
     * Makes the SQLite file's directory and the file itself (empty, 0600) before SQLite opens it: SQLite would create
     * it following the umask, and gives its -wal, -shm and -journal files the mode of the database file.
     */
    private static void prepareSqliteFile(String url) throws SQLException {
        String file = url.substring("jdbc:sqlite:".length());
        int q = file.indexOf('?');
        file = q < 0 ? file : file.substring(0, q);
        if (file.isEmpty() || file.startsWith(":") || file.startsWith("file:")) {
            return; // in memory, or a URI form SQLite resolves itself
        }
        Path path = Path.of(file).toAbsolutePath();
        try {
            dev.slipway.core.WorkDir.prepare(path.getParent());
            dev.slipway.core.WorkDir.createPrivateFile(path);
        } catch (java.io.IOException e) {
            throw new SQLException("cannot create " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * A small pool: the run's thread, its step threads and the lease heartbeat write concurrently. Connections that
     * break are replaced; every wait on the store is bounded (connect, socket read, pool checkout).
     */
    private static HikariConfig config(String url, String user, String password, boolean sqlite) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("slipway-journal");
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(Duration.ofSeconds(sqlite ? 20 : 10).toMillis());
        config.setValidationTimeout(Duration.ofSeconds(5).toMillis());
        if (sqlite) {
            config.addDataSourceProperty("journal_mode", "WAL");
            config.addDataSourceProperty("busy_timeout", "15000");
            config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
            config.addDataSourceProperty("foreign_keys", "true");
        } else {
            config.addDataSourceProperty("connectTimeout", "10");
            config.addDataSourceProperty("socketTimeout", "30");
            config.addDataSourceProperty("tcpKeepAlive", "true");
            config.addDataSourceProperty("ApplicationName", "slipway");
        }
        return config;
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

    private static void migrate(javax.sql.DataSource data) {
        Flyway.configure(Journals.class.getClassLoader())
                .dataSource(data)
                .locations("classpath:db/journal")
                .table("slipway_schema_history")
                .load()
                .migrate();
    }

    /** Where the store is, for labels and messages: the SQLite file's absolute path, or PostgreSQL's host, port and database. */
    static String location(String url) {
        String rest = url.substring("jdbc:".length());
        int q = rest.indexOf('?');
        rest = q < 0 ? rest : rest.substring(0, q);
        if (rest.startsWith("sqlite:")) {
            return "sqlite:" + Path.of(rest.substring("sqlite:".length())).toAbsolutePath().normalize();
        }
        return rest.replaceAll("//[^@/]*@", "//"); // no user-info
    }

    /** The URL with its credentials masked, for messages. */
    static String redact(String url) {
        return dev.slipway.core.Redact.url(url);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
