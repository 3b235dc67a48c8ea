package dev.slipway.core.engine;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Fence;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.Lease;
import dev.slipway.core.journal.LeaseLostException;
import dev.slipway.core.journal.LogLine;
import dev.slipway.core.journal.RunRequest;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * A real journal whose writes or heartbeats can be made to fail from a given moment, as when the store goes away, or
 * that stops answering altogether, as a crashed process would; it records what its engine appended (or had refused) and
 * lets a test act at exact points (before an append, a heartbeat, after a release). A fake is needed because a real
 * SQLite or PostgreSQL cannot be told to fail exactly mid-run.
 */
final class FailingJournal implements Journal {
    private final Journal real;
    volatile boolean failAppends;
    volatile boolean failHeartbeats;
    /** The process is gone: every call fails, nothing more is written (the lease stays as it was). */
    volatile boolean crashed;
    /** Runs before every append, with the event's type and step. */
    volatile BiConsumer<EventType, String> beforeAppend = (type, step) -> { };
    /** Runs before every heartbeat. */
    volatile Runnable beforeHeartbeat = () -> { };
    /** Runs after the lease is released. */
    volatile Runnable afterRelease = () -> { };
    final List<JournalEvent> appended = new CopyOnWriteArrayList<>();
    final List<EventType> refused = new CopyOnWriteArrayList<>();

    FailingJournal(Journal real) {
        this.real = real;
    }

    private static SlipwayException down() {
        return new SlipwayException(ErrorCode.STATE_STORE, "state store failed: connection refused");
    }

    private void alive() {
        if (crashed) {
            throw new SlipwayException(ErrorCode.STATE_STORE, "state store failed: this process has crashed");
        }
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
        alive();
        return real.enqueue(request, at);
    }

    @Override
    public JournalEvent append(long runId, EventType type, String step, Map<String, String> data, Instant at) {
        return append(null, runId, type, step, data, at);
    }

    @Override
    public JournalEvent append(Fence fence, long runId, EventType type, String step, Map<String, String> data, Instant at) {
        alive();
        beforeAppend.accept(type, step);
        if (failAppends) {
            throw down();
        }
        try {
            JournalEvent e = real.append(fence, runId, type, step, data, at);
            appended.add(e);
            return e;
        } catch (LeaseLostException e) {
            refused.add(type);
            throw e;
        }
    }

    @Override
    public List<RunRecord> releases(String stage, String commit, int limit) {
        alive();
        return real.releases(stage, commit, limit);
    }

    @Override
    public Optional<RunRecord> verified(String stage, String tree) {
        alive();
        return real.verified(stage, tree);
    }

    @Override
    public Optional<Map<String, String>> build(String app, String commit, List<String> stages) {
        alive();
        return real.build(app, commit, stages);
    }

    @Override
    public Map<RunState, Long> countByState(String app, String stage) {
        alive();
        return real.countByState(app, stage);
    }

    @Override
    public Optional<RunRecord> run(long runId) {
        alive();
        return real.run(runId);
    }

    @Override
    public List<JournalEvent> events(long runId) {
        alive();
        return real.events(runId);
    }

    @Override
    public Map<Long, List<JournalEvent>> eventsOfStage(String stage) {
        alive();
        return real.eventsOfStage(stage);
    }

    @Override
    public List<RunRecord> runs(String stage, int limit) {
        alive();
        return real.runs(stage, limit);
    }

    @Override
    public List<RunRecord> unfinishedRuns(String stage) {
        alive();
        return real.unfinishedRuns(stage);
    }

    @Override
    public void log(long runId, String step, String line, Instant at) {
        alive();
        real.log(runId, step, line, at);
    }

    @Override
    public List<LogLine> logs(long runId) {
        alive();
        return real.logs(runId);
    }

    @Override
    public Optional<Lease> lease(String stage) {
        alive();
        return real.lease(stage);
    }

    @Override
    public Optional<Fence> tryAcquire(String stage, String holder, long runId, Duration ttl, Predicate<Lease> holderIsDead) {
        alive();
        return real.tryAcquire(stage, holder, runId, ttl, holderIsDead);
    }

    @Override
    public boolean heartbeat(Fence fence, long runId, Duration ttl) {
        alive();
        beforeHeartbeat.run();
        if (failHeartbeats) {
            throw down();
        }
        return real.heartbeat(fence, runId, ttl);
    }

    @Override
    public void release(Fence fence) {
        alive();
        real.release(fence);
        afterRelease.run();
    }

    @Override
    public void close() {
        real.close();
    }
}
