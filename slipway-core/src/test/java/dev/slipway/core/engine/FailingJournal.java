package dev.slipway.core.engine;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.Lease;
import dev.slipway.core.journal.LogLine;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A real journal whose writes or heartbeats can be made to fail from a given moment, as when the store goes away.
 * A fake is needed because a real SQLite or PostgreSQL cannot be told to fail exactly mid-run.
 */
final class FailingJournal implements Journal {
    private final Journal real;
    volatile boolean failAppends;
    volatile boolean failHeartbeats;

    FailingJournal(Journal real) {
        this.real = real;
    }

    private static SlipwayException down() {
        return new SlipwayException(ErrorCode.STATE_STORE, "state store failed: connection refused");
    }

    @Override
    public String key() {
        return real.key();
    }

    @Override
    public RunRecord enqueue(String app, String stage, String commit, RunKind kind, String requestedBy, Instant at) {
        return real.enqueue(app, stage, commit, kind, requestedBy, at);
    }

    @Override
    public JournalEvent append(long runId, EventType type, String step, Map<String, String> data, Instant at) {
        if (failAppends) {
            throw down();
        }
        return real.append(runId, type, step, data, at);
    }

    @Override
    public Optional<RunRecord> run(long runId) {
        return real.run(runId);
    }

    @Override
    public List<JournalEvent> events(long runId) {
        return real.events(runId);
    }

    @Override
    public List<RunRecord> runs(String stage, int limit) {
        return real.runs(stage, limit);
    }

    @Override
    public List<RunRecord> unfinishedRuns(String stage) {
        return real.unfinishedRuns(stage);
    }

    @Override
    public void log(long runId, String step, String line, Instant at) {
        real.log(runId, step, line, at);
    }

    @Override
    public List<LogLine> logs(long runId) {
        return real.logs(runId);
    }

    @Override
    public Optional<Lease> lease(String stage) {
        return real.lease(stage);
    }

    @Override
    public boolean tryAcquire(String stage, String holder, long runId, Instant now, Duration ttl, Predicate<Lease> holderIsDead) {
        return real.tryAcquire(stage, holder, runId, now, ttl, holderIsDead);
    }

    @Override
    public boolean heartbeat(String stage, String holder, long runId, Instant now, Duration ttl) {
        if (failHeartbeats) {
            throw down();
        }
        return real.heartbeat(stage, holder, runId, now, ttl);
    }

    @Override
    public void release(String stage, String holder) {
        real.release(stage, holder);
    }

    @Override
    public void close() {
        real.close();
    }
}
