package dev.slipway.core.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/** The journal on one JDBC connection, shared by the threads of a process under a lock; the same SQL for both stores. */
final class JdbcJournal implements Journal {
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };
    private static final String TERMINAL_TYPES = "('RUN_SUCCEEDED','RUN_FAILED','ROLLED_BACK','COMPENSATION_FAILED','RUN_SUPERSEDED')";
    private static final String RUN_COLUMNS = "id, app, stage, commit_sha, kind, requested_by, requested_at_ms";
    private final Connection connection;
    private final ObjectMapper json = new ObjectMapper();
    private final ReentrantLock lock = new ReentrantLock();
    private volatile String key;

    JdbcJournal(Connection connection) {
        this.connection = connection;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withConnection(String what, Work<T> work) {
        lock.lock();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new SlipwayException(ErrorCode.STATE_STORE, "state store failed to " + what + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private <T> T inTransaction(String what, Work<T> work) {
        return withConnection(what, c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    @Override
    public String key() {
        String k = key;
        if (k == null) {
            k = withConnection("read the journal key", c -> {
                long value = readCounter(c, "journal-key");
                if (value < 0) {
                    try {
                        update(c, "insert into slipway_counters (name, value) values ('journal-key', ?)",
                                1 + new java.security.SecureRandom().nextInt(Integer.MAX_VALUE - 1));
                    } catch (SQLException e) {
                        // another process made it first; read theirs
                    }
                    value = readCounter(c, "journal-key");
                }
                return Long.toString(value, 36);
            });
            key = k;
        }
        return k;
    }

    private static long readCounter(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = prepare(c, "select value from slipway_counters where name = ?", name);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    @Override
    public RunRecord enqueue(String app, String stage, String commit, RunKind kind, String requestedBy, Instant at) {
        return inTransaction("queue a run of " + stage, c -> {
            Optional<RunRecord> existing = first(c, "select " + RUN_COLUMNS + " from slipway_runs r where stage = ? and commit_sha = ?"
                    + " and kind = ? and not exists (select 1 from slipway_events e where e.run_id = r.id and e.type in "
                    + TERMINAL_TYPES + ") order by id", stage, commit, kind.name());
            if (existing.isPresent()) {
                return existing.get();
            }
            long id = nextRunId(c);
            update(c, "insert into slipway_runs (" + RUN_COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?)",
                    id, app, stage, commit, kind.name(), requestedBy, at.toEpochMilli());
            insertEvent(c, id, EventType.RUN_QUEUED, null, Map.of("commit", commit, "by", requestedBy), at);
            return new RunRecord(id, app, stage, commit, kind, requestedBy, Instant.ofEpochMilli(at.toEpochMilli()));
        });
    }

    private long nextRunId(Connection c) throws SQLException {
        update(c, "update slipway_counters set value = value + 1 where name = 'run'");
        try (PreparedStatement ps = c.prepareStatement("select value from slipway_counters where name = 'run'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public JournalEvent append(long runId, EventType type, String step, Map<String, String> data, Instant at) {
        SQLException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            try {
                return withRawConnection(c -> insertEvent(c, runId, type, step, data, at));
            } catch (SQLException e) {
                last = e; // another process appended the same seq at once (approvals): take the next one
            }
        }
        throw new SlipwayException(ErrorCode.STATE_STORE, "state store failed to append " + type + " to run " + runId
                + ": " + last.getMessage(), last);
    }

    private <T> T withRawConnection(Work<T> work) throws SQLException {
        lock.lock();
        try {
            return work.run(connection);
        } finally {
            lock.unlock();
        }
    }

    private JournalEvent insertEvent(Connection c, long runId, EventType type, String step, Map<String, String> data,
                                     Instant at) throws SQLException {
        String payload = toJson(data);
        update(c, "insert into slipway_events (run_id, seq, at_ms, type, step, data) select ?, coalesce(max(seq), 0) + 1,"
                + " ?, ?, ?, ? from slipway_events where run_id = ?", runId, at.toEpochMilli(), type.name(), step, payload, runId);
        try (PreparedStatement ps = c.prepareStatement("select max(seq) from slipway_events where run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new JournalEvent(runId, rs.getInt(1), Instant.ofEpochMilli(at.toEpochMilli()), type, step, data);
            }
        }
    }

    @Override
    public Optional<RunRecord> run(long runId) {
        return withConnection("read run " + runId, c -> first(c, "select " + RUN_COLUMNS + " from slipway_runs where id = ?", runId));
    }

    @Override
    public List<JournalEvent> events(long runId) {
        return withConnection("read events of run " + runId, c -> {
            List<JournalEvent> out = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, "select run_id, seq, at_ms, type, step, data from slipway_events"
                    + " where run_id = ? order by seq", runId); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new JournalEvent(rs.getLong(1), rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3)),
                            EventType.valueOf(rs.getString(4)), rs.getString(5), fromJson(rs.getString(6))));
                }
            }
            return out;
        });
    }

    @Override
    public List<RunRecord> runs(String stage, int limit) {
        return withConnection("list runs", c -> stage == null
                ? all(c, "select " + RUN_COLUMNS + " from slipway_runs order by id desc limit ?", limit)
                : all(c, "select " + RUN_COLUMNS + " from slipway_runs where stage = ? order by id desc limit ?", stage, limit));
    }

    @Override
    public List<RunRecord> unfinishedRuns(String stage) {
        return withConnection("list unfinished runs of " + stage, c -> all(c, "select " + RUN_COLUMNS
                + " from slipway_runs r where stage = ? and not exists (select 1 from slipway_events e where e.run_id = r.id"
                + " and e.type in " + TERMINAL_TYPES + ") order by id", stage));
    }

    @Override
    public void log(long runId, String step, String line, Instant at) {
        withConnection("append to the log of run " + runId, c -> update(c, "insert into slipway_logs (run_id, seq, at_ms, step, line)"
                + " select ?, coalesce(max(seq), 0) + 1, ?, ?, ? from slipway_logs where run_id = ?",
                runId, at.toEpochMilli(), step, line, runId));
    }

    @Override
    public List<LogLine> logs(long runId) {
        return withConnection("read the log of run " + runId, c -> {
            List<LogLine> out = new ArrayList<>();
            try (PreparedStatement ps = prepare(c, "select run_id, seq, at_ms, step, line from slipway_logs where run_id = ?"
                    + " order by seq", runId); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new LogLine(rs.getLong(1), rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4),
                            rs.getString(5)));
                }
            }
            return out;
        });
    }

    @Override
    public Optional<Lease> lease(String stage) {
        return withConnection("read the lease of " + stage, c -> {
            try (PreparedStatement ps = prepare(c, "select stage, holder, run_id, heartbeat_ms, expires_ms from slipway_leases"
                    + " where stage = ?", stage); ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Lease(rs.getString(1), rs.getString(2), rs.getLong(3),
                        Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5)))) : Optional.empty();
            }
        });
    }

    @Override
    public boolean tryAcquire(String stage, String holder, long runId, Instant now, Duration ttl, Predicate<Lease> holderIsDead) {
        long nowMs = now.toEpochMilli();
        long expires = now.plus(ttl).toEpochMilli();
        Optional<Lease> current = lease(stage);
        if (current.isEmpty()) {
            return withConnection("take the lease of " + stage, c -> {
                try {
                    return update(c, "insert into slipway_leases (stage, holder, run_id, heartbeat_ms, expires_ms) values (?, ?, ?, ?, ?)",
                            stage, holder, runId, nowMs, expires) == 1;
                } catch (SQLException e) {
                    return false; // someone inserted first
                }
            });
        }
        Lease lease = current.get();
        boolean mayTake = lease.holder().equals(holder) || lease.expires().toEpochMilli() < nowMs || holderIsDead.test(lease);
        if (!mayTake) {
            return false;
        }
        return withConnection("take over the lease of " + stage, c -> update(c, "update slipway_leases set holder = ?, run_id = ?,"
                + " heartbeat_ms = ?, expires_ms = ? where stage = ? and holder = ? and heartbeat_ms = ?",
                holder, runId, nowMs, expires, stage, lease.holder(), lease.heartbeat().toEpochMilli()) == 1);
    }

    @Override
    public boolean heartbeat(String stage, String holder, long runId, Instant now, Duration ttl) {
        return withConnection("renew the lease of " + stage, c -> update(c, "update slipway_leases set run_id = ?, heartbeat_ms = ?,"
                + " expires_ms = ? where stage = ? and holder = ?", runId, now.toEpochMilli(), now.plus(ttl).toEpochMilli(),
                stage, holder) == 1);
    }

    @Override
    public void release(String stage, String holder) {
        withConnection("release the lease of " + stage, c -> update(c, "delete from slipway_leases where stage = ? and holder = ?",
                stage, holder));
    }

    @Override
    public void close() {
        withConnection("close", c -> {
            c.close();
            return null;
        });
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
        return ps;
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = prepare(c, sql, args)) {
            return ps.executeUpdate();
        }
    }

    private static List<RunRecord> all(Connection c, String sql, Object... args) throws SQLException {
        List<RunRecord> out = new ArrayList<>();
        try (PreparedStatement ps = prepare(c, sql, args); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new RunRecord(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        RunKind.valueOf(rs.getString(5)), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7))));
            }
        }
        return out;
    }

    private static Optional<RunRecord> first(Connection c, String sql, Object... args) throws SQLException {
        return all(c, sql, args).stream().findFirst();
    }

    private String toJson(Map<String, String> data) {
        try {
            return json.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write event data as JSON (bug)", e);
        }
    }

    private Map<String, String> fromJson(String text) {
        try {
            return json.readValue(text, MAP);
        } catch (JsonProcessingException e) {
            throw new SlipwayException(ErrorCode.STATE_STORE, "journal holds unreadable event data: " + e.getOriginalMessage(), e);
        }
    }

}
