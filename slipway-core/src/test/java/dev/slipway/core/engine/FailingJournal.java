package dev.slipway.core.engine;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Fence;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.Lease;
import dev.slipway.core.journal.LogLine;
import dev.slipway.core.journal.RunRequest;
import dev.slipway.core.journal.RunState;
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
    public String location() {
        return real.location();
    }

    @Override
    public RunRecord enqueue(RunRequest request, Instant at) {
        return real.enqueue(request, at);
    }

    @Override
    public JournalEvent append(long runId, EventType type, String step, Map<String, String> data, Instant at) {
        return append(null, runId, type, step, data, at);
    }

    @Override
    public JournalEvent append(Fence fence, long runId, EventType type, String step, Map<String, String> data, Instant at) {
        if (failAppends) {
            throw down();
        }
        return real.append(fence, runId, type, step, data, at);
    }

    @Override
    public List<RunRecord> releases(String stage, String commit, int limit) {
        return real.releases(stage, commit, limit);
    }

    @Override
    public Optional<Map<String, String>> build(String app, String commit, List<String> stages) {
        return real.build(app, commit, stages);
    }

    @Override
    public Map<RunState, Long> countByState(String app, String stage) {
        return real.countByState(app, stage);
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
    public Optional<Fence> tryAcquire(String stage, String holder, long runId, Duration ttl, Predicate<Lease> holderIsDead) {
        return real.tryAcquire(stage, holder, runId, ttl, holderIsDead);
    }

    @Override
    public boolean heartbeat(Fence fence, long runId, Duration ttl) {
        if (failHeartbeats) {
            throw down();
        }
        return real.heartbeat(fence, runId, ttl);
    }

    @Override
    public void release(Fence fence) {
        real.release(fence);
    }

    @Override
    public void close() {
        real.close();
    }
}
