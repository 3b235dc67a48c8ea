package dev.slipway.core.testing;

import dev.slipway.core.journal.RunKeys;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunState;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;

/**
 * Writes many ended runs straight into a journal's tables in one transaction, as a long history would have left them:
 * tests of what happens beyond hundreds of runs stay fast (the journal's own API takes a transaction per event).
 * The rows are what the journal itself writes for a run that was queued and then ended in {@code state}.
 */
public final class JournalRows {
    private static final Map<RunState, String> ENDING = Map.of(RunState.SUCCEEDED, "RUN_SUCCEEDED", RunState.FAILED, "RUN_FAILED",
            RunState.ROLLED_BACK, "ROLLED_BACK", RunState.NEEDS_ATTENTION, "COMPENSATION_FAILED", RunState.SUPERSEDED, "RUN_SUPERSEDED");

    private JournalRows() {
    }

    /** Adds {@code count} runs of {@code app} on {@code stage} that ended in {@code state}; returns the last run's id. */
    public static long insertEnded(String url, String user, String password, String app, String stage, RunState state, int count,
                                   Instant at) {
        String ending = ENDING.get(state);
        if (ending == null) {
            throw new IllegalArgumentException(state + " is not a state a run ends in");
        }
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.setAutoCommit(false);
            long last = reserveIds(c, count);
            long first = last - count + 1;
            try (PreparedStatement runs = c.prepareStatement("insert into slipway_runs (id, run_key, app, stage, commit_sha, kind,"
                    + " requested_by, requested_at_ms, state, ended_at_ms) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
                 PreparedStatement events = c.prepareStatement("insert into slipway_events (run_id, seq, at_ms, type, step, data)"
                         + " values (?, ?, ?, ?, null, ?)")) {
                for (long id = first; id <= last; id++) {
                    add(runs, id, RunKeys.next(), app, stage, "bulk-" + id, RunKind.DEPLOY.name(), "history", at.toEpochMilli(),
                            state.name(), at.toEpochMilli());
                    add(events, id, 1, at.toEpochMilli(), "RUN_QUEUED", "{\"commit\":\"bulk-" + id + "\",\"by\":\"history\"}");
                    add(events, id, 2, at.toEpochMilli(), ending, "{\"reason\":\"bulk history\"}");
                }
                runs.executeBatch();
                events.executeBatch();
            }
            c.commit();
            return last;
        } catch (SQLException e) {
            throw new IllegalStateException("could not write test history into " + url + ": " + e.getMessage(), e);
        }
    }

    /** Runs SQL against the store (e.g. to expire a lease at once, as if its holder had stopped renewing it long ago). */
    public static int execute(String url, String user, String password, String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(url, user, password); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not run " + sql + " on " + url + ": " + e.getMessage(), e);
        }
    }

    private static long reserveIds(Connection c, int count) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("update slipway_counters set value = value + " + count + " where name = 'run'");
            try (ResultSet rs = s.executeQuery("select value from slipway_counters where name = 'run'")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void add(PreparedStatement ps, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
        ps.addBatch();
    }
}
