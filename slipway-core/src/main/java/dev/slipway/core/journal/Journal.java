package dev.slipway.core.journal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The durable record of every run: append-only events, log lines, and the per-stage lease that lets exactly one
 * process run steps on a stage. Implementations are safe to use from several threads and several processes.
 */
public interface Journal extends AutoCloseable {
    /** A short random key chosen when this journal was created; tells its runs from those of another journal. */
    String key();

    /**
     * Records a request and its {@link EventType#RUN_QUEUED} event. When an unfinished run of the same stage, kind and
     * commit exists, no new run is made and that one is returned: asking again (after a crash, say) joins it.
     */
    RunRecord enqueue(String app, String stage, String commit, RunKind kind, String requestedBy, Instant at);

    /** Appends an event to a run; returns it with its sequence number. */
    JournalEvent append(long runId, EventType type, String step, Map<String, String> data, Instant at);

    Optional<RunRecord> run(long runId);

    List<JournalEvent> events(long runId);

    /** Newest first; {@code stage} null for all stages. */
    List<RunRecord> runs(String stage, int limit);

    /** Runs of {@code stage} whose events hold no terminal event, oldest first. */
    List<RunRecord> unfinishedRuns(String stage);

    void log(long runId, String step, String line, Instant at);

    List<LogLine> logs(long runId);

    Optional<Lease> lease(String stage);

    /**
     * Takes the stage lease for {@code holder} if it is free, already {@code holder}'s, expired at {@code now}, or
     * held by a holder for which {@code holderIsDead} is true. Compare-and-set: of several callers one wins.
     */
    boolean tryAcquire(String stage, String holder, long runId, Instant now, Duration ttl, Predicate<Lease> holderIsDead);

    /** Extends {@code holder}'s lease; false when it was lost (taken over after expiring). */
    boolean heartbeat(String stage, String holder, long runId, Instant now, Duration ttl);

    void release(String stage, String holder);

    @Override
    void close();
}
