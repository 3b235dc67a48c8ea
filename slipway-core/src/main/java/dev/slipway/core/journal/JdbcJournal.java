package dev.slipway.core.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * The journal on a pool of JDBC connections (HikariCP: reconnects, timeouts); the same SQL for both stores except the
 * few {@link Dialect} differences. Events and logs are append-only; a run's row keeps its current state.
 */
final class JdbcJournal implements Journal {
    private static final TypeReference<Map<String, String>> MAP = new TypeReference<>() {
    };
    private static final String RUN_COLUMNS = "id, run_key, app, stage, commit_sha, kind, requested_by, requested_at_ms, image_ref, origin, tree_id,"
            + " promoted_from";
    private static final int APPEND_TRIES = 20;
    private final DataSource data;
    private final AutoCloseable pool;
    private final Dialect dialect;
    private final JdbcLeases leases;
    private final ObjectMapper json = new ObjectMapper();
    private final String location;
    private volatile String key;

    JdbcJournal(DataSource data, AutoCloseable pool, Dialect dialect, String location) {
        this.location = location;
        this.data = data;
        this.pool = pool;
        this.dialect = dialect;
        this.leases = new JdbcLeases(dialect);
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    <T> T withConnection(String what, Work<T> work) {
        try (Connection c = data.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw failed(what, e);
        }
    }

    private <T> T inTransaction(String what, Work<T> work) {
        return withConnection(what, c -> transaction(c, work));
    }

    private static <T> T transaction(Connection c, Work<T> work) throws SQLException {
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
    }

    private static SlipwayException failed(String what, SQLException e) {
        return new SlipwayException(ErrorCode.STATE_STORE, "state store failed to " + what + ": " + dev.slipway.core.Redact.text(e.getMessage()), e);
    }

    @Override
    public String key() {
        String k = key;
        if (k == null) {
            k = withConnection("read the journal key", c -> {
                Optional<Long> value = Sql.first(c, rs -> rs.getLong(1), "select value from slipway_counters where name = 'journal-key'");
                if (value.isEmpty()) {
                    try {
                        Sql.update(c, "insert into slipway_counters (name, value) values ('journal-key', ?)",
                                1 + new java.security.SecureRandom().nextInt(Integer.MAX_VALUE - 1));
                    } catch (SQLException e) {
                        if (!Dialect.isUniqueViolation(e)) {
                            throw e;
                        } // else another process made it first; read theirs
                    }
                    value = Sql.first(c, rs -> rs.getLong(1), "select value from slipway_counters where name = 'journal-key'");
                }
                return Long.toString(value.orElseThrow(), 36);
            });
            key = k;
        }
        return k;
    }

    @Override
    public String location() {
        return location;
    }

    /** The request as journaled; the commit time feeds the DORA lead time ({@code metrics.Dora}). */
    private static Map<String, String> queued(RunRecord run, RunRequest request) {
        Map<String, String> data = new java.util.LinkedHashMap<>(Map.of("commit", run.commit(), "by", run.requestedBy()));
        if (request.committedAt() != null) {
            data.put("committed-at", request.committedAt().toString());
        }
        return data;
    }

    @Override
    public RunRecord enqueue(RunRequest request, Instant at) {
        String open = request.stage() + "/" + request.kind().name() + "/" + request.commit();
        String what = "queue a run of " + request.stage();
        for (int attempt = 1; ; attempt++) {
            try (Connection c = data.getConnection()) {
                return transaction(c, tx -> {
                    Optional<RunRecord> existing = Sql.first(tx, this::record, "select " + RUN_COLUMNS
                            + " from slipway_runs where open_key = ?", open);
                    if (existing.isPresent()) {
                        return existing.get();
                    }
                    long id = Sql.single(tx, "update slipway_counters set value = value + 1 where name = 'run' returning value");
                    RunRecord run = new RunRecord(id, RunKeys.next(), request.app(), request.stage(), request.commit(), request.kind(),
                            request.requestedBy(), Instant.ofEpochMilli(at.toEpochMilli()), request.image(), request.origin(),
                            request.tree(), request.promotedFrom());
                    Sql.update(tx, "insert into slipway_runs (" + RUN_COLUMNS + ", state, open_key) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                            + " ?, ?, 'QUEUED', ?)", id, run.key(), run.app(), run.stage(), run.commit(), run.kind().name(),
                            run.requestedBy(), at.toEpochMilli(), run.image(), run.origin(), run.tree(), run.promotedFrom(), open);
                    insertEvent(tx, run, EventType.RUN_QUEUED, null, queued(run, request), at);
                    return run;
                });
            } catch (SQLException e) {
                if (!Dialect.isUniqueViolation(e) || attempt >= APPEND_TRIES) {
                    throw failed(what, e);
                } // another process queued the same request at once: join theirs
            }
        }
    }

    @Override
    public JournalEvent append(long runId, EventType type, String step, Map<String, String> data, Instant at) {
        return append(null, runId, type, step, data, at);
    }

    @Override
    public JournalEvent append(Fence fence, long runId, EventType type, String step, Map<String, String> data, Instant at) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = this.data.getConnection()) {
                return transaction(c, tx -> {
                    if (fence != null) {
                        leases.check(tx, fence, type + " of run " + runId);
                    }
                    RunRecord run = Sql.first(tx, this::record, "select " + RUN_COLUMNS + " from slipway_runs where id = ?", runId)
                            .orElseThrow(() -> new SlipwayException(ErrorCode.BAD_USAGE, "no run " + runId));
                    return insertEvent(tx, run, type, step, data, at);
                });
            } catch (SQLException e) {
                if (!Dialect.isUniqueViolation(e) || attempt >= APPEND_TRIES) {
                    throw failed("append " + type + " to run " + runId, e);
                } // another process appended to this run at the same moment (an approval): take the next seq
            }
        }
    }

    /** Inserts the event with the next sequence number, then brings the run's state row up to date. */
    private JournalEvent insertEvent(Connection c, RunRecord run, EventType type, String step, Map<String, String> data,
                                     Instant at) throws SQLException {
        long seq = Sql.single(c, "insert into slipway_events (run_id, seq, at_ms, type, step, data) select ?, coalesce(max(seq), 0) + 1,"
                + " ?, ?, ?, ? from slipway_events where run_id = ? returning seq", run.id(), at.toEpochMilli(), type.name(), step,
                toJson(data), run.id());
        JournalEvent event = new JournalEvent(run.id(), (int) seq, Instant.ofEpochMilli(at.toEpochMilli()), type, step, data);
        if (type != EventType.RUN_QUEUED) {
            RunView view = RunView.of(run, events(c, run.id()));
            if (view.state().isTerminal()) {
                Sql.update(c, "update slipway_runs set state = ?, ended_at_ms = ?, open_key = null where id = ?",
                        view.state().name(), at.toEpochMilli(), run.id());
            } else {
                Sql.update(c, "update slipway_runs set state = ? where id = ?", view.state().name(), run.id());
            }
        }
        return event;
    }

    @Override
    public Optional<RunRecord> run(long runId) {
        return withConnection("read run " + runId, c -> Sql.first(c, this::record, "select " + RUN_COLUMNS
                + " from slipway_runs where id = ?", runId));
    }

    @Override
    public List<JournalEvent> events(long runId) {
        return withConnection("read events of run " + runId, c -> events(c, runId));
    }

    private List<JournalEvent> events(Connection c, long runId) throws SQLException {
        return Sql.query(c, this::event, "select run_id, seq, at_ms, type, step, data from slipway_events where run_id = ? order by seq", runId);
    }

    private JournalEvent event(ResultSet rs) throws SQLException {
        return new JournalEvent(rs.getLong(1), rs.getInt(2), Instant.ofEpochMilli(rs.getLong(3)), EventType.valueOf(rs.getString(4)),
                rs.getString(5), fromJson(rs.getString(6)));
    }

    @Override
    public Map<Long, List<JournalEvent>> eventsOfStage(String stage) {
        return withConnection("read events of stage " + stage, c -> {
            Map<Long, List<JournalEvent>> out = new LinkedHashMap<>();
            for (JournalEvent e : Sql.query(c, this::event, "select e.run_id, e.seq, e.at_ms, e.type, e.step, e.data from slipway_events e"
                    + " join slipway_runs r on r.id = e.run_id where r.stage = ? order by e.run_id, e.seq", stage)) {
                out.computeIfAbsent(e.runId(), k -> new ArrayList<>()).add(e);
            }
            return out;
        });
    }

    @Override
    public List<RunRecord> runs(String stage, int limit) {
        return withConnection("list runs", c -> stage == null
                ? Sql.query(c, this::record, "select " + RUN_COLUMNS + " from slipway_runs order by id desc limit ?", limit)
                : Sql.query(c, this::record, "select " + RUN_COLUMNS + " from slipway_runs where stage = ? order by id desc limit ?",
                stage, limit));
    }

    @Override
    public List<RunRecord> unfinishedRuns(String stage) {
        return withConnection("list unfinished runs of " + stage, c -> Sql.query(c, this::record, "select " + RUN_COLUMNS
                + " from slipway_runs where stage = ? and ended_at_ms is null order by id", stage));
    }

    @Override
    public List<RunRecord> releases(String stage, String commit, int limit) {
        String where = "stage = ? and state = 'SUCCEEDED' and kind in ('DEPLOY', 'ROLLBACK')";
        return withConnection("list releases of " + stage, c -> commit == null
                ? Sql.query(c, this::record, "select " + RUN_COLUMNS + " from slipway_runs where " + where
                + " order by id desc limit ?", stage, limit)
                : Sql.query(c, this::record, "select " + RUN_COLUMNS + " from slipway_runs where " + where
                + " and commit_sha = ? order by id desc limit ?", stage, commit, limit));
    }

    @Override
    public Optional<RunRecord> verified(String stage, String tree) {
        return withConnection("find the verified run of " + stage + " for tree " + tree, c -> Sql.first(c, this::record, "select "
                + RUN_COLUMNS + " from slipway_runs where stage = ? and tree_id = ? and state = 'SUCCEEDED' and kind in ('DEPLOY', 'ROLLBACK')"
                + " order by id desc limit 1", stage, tree));
    }

    @Override
    public Optional<Map<String, String>> build(String app, String commit, List<String> stages) {
        if (stages.isEmpty()) {
            return Optional.empty();
        }
        String in = String.join(", ", java.util.Collections.nCopies(stages.size(), "?"));
        Object[] args = new Object[stages.size() + 2];
        args[0] = app;
        args[1] = commit;
        for (int i = 0; i < stages.size(); i++) {
            args[i + 2] = stages.get(i);
        }
        return withConnection("find the build of " + commit, c -> Sql.first(c, rs -> fromJson(rs.getString(1)),
                "select e.data from slipway_events e join slipway_runs r on r.id = e.run_id where r.app = ? and r.commit_sha = ?"
                        + " and r.stage in (" + in + ") and e.type = 'STEP_SUCCEEDED' and e.step = 'build'"
                        + " order by e.run_id desc, e.seq desc limit 1", args));
    }

    @Override
    public Map<RunState, Long> countByState(String app, String stage) {
        return withConnection("count the runs of " + stage, c -> {
            Map<RunState, Long> out = new EnumMap<>(RunState.class);
            for (RunState s : RunState.values()) {
                if (s.isTerminal()) {
                    out.put(s, 0L);
                }
            }
            Sql.query(c, rs -> out.put(RunState.valueOf(rs.getString(1)), rs.getLong(2)), "select state, count(*) from slipway_runs"
                    + " where app = ? and stage = ? and ended_at_ms is not null group by state", app, stage);
            return out;
        });
    }

    @Override
    public void log(long runId, String step, String line, Instant at) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = data.getConnection()) {
                Sql.update(c, "insert into slipway_logs (run_id, seq, at_ms, step, line) select ?, coalesce(max(seq), 0) + 1, ?, ?, ?"
                        + " from slipway_logs where run_id = ?", runId, at.toEpochMilli(), step, line, runId);
                return;
            } catch (SQLException e) {
                if (!Dialect.isUniqueViolation(e) || attempt >= APPEND_TRIES) {
                    throw failed("append to the log of run " + runId, e);
                } // two threads of the run logged at once: take the next seq
            }
        }
    }

    @Override
    public List<LogLine> logs(long runId) {
        return withConnection("read the log of run " + runId, c -> Sql.query(c, rs -> new LogLine(rs.getLong(1), rs.getInt(2),
                Instant.ofEpochMilli(rs.getLong(3)), rs.getString(4), rs.getString(5)),
                "select run_id, seq, at_ms, step, line from slipway_logs where run_id = ? order by seq", runId));
    }

    @Override
    public Optional<Lease> lease(String stage) {
        return withConnection("read the lease of " + stage, c -> leases.read(c, stage, ""));
    }

    @Override
    public Optional<Fence> tryAcquire(String stage, String holder, long runId, Duration ttl, Predicate<Lease> holderIsDead) {
        return withConnection("take the lease of " + stage, c -> leases.tryAcquire(c, stage, holder, runId, ttl, holderIsDead));
    }

    @Override
    public boolean heartbeat(Fence fence, long runId, Duration ttl) {
        return withConnection("renew the lease of " + fence.stage(), c -> leases.heartbeat(c, fence, runId, ttl));
    }

    @Override
    public void release(Fence fence) {
        withConnection("release the lease of " + fence.stage(), c -> leases.release(c, fence));
    }

    @Override
    public void close() {
        try {
            pool.close();
        } catch (Exception e) {
            throw new SlipwayException(ErrorCode.STATE_STORE, "could not close the state store: " + dev.slipway.core.Redact.text(e.getMessage()), e);
        }
    }

    private RunRecord record(ResultSet rs) throws SQLException {
        long id = rs.getLong(1);
        String runKey = rs.getString(2);
        return new RunRecord(id, runKey != null ? runKey : id + "." + key(), rs.getString(3), rs.getString(4), rs.getString(5),
                RunKind.valueOf(rs.getString(6)), rs.getString(7), Instant.ofEpochMilli(rs.getLong(8)), rs.getString(9),
                rs.getString(10), rs.getString(11), promotedFrom(rs));
    }

    private static Long promotedFrom(ResultSet rs) throws SQLException {
        long from = rs.getLong(12);
        return rs.wasNull() ? null : from;
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
