package dev.slipway.core.journal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The durable record of every run: append-only events, log lines, each run's current state, and the per-stage lease
 * that lets exactly one process run steps on a stage. Implementations are safe to use from several threads and
 * several processes, and behave the same on every store.
 */
public interface Journal extends AutoCloseable {
    /** A short random key chosen when this journal was created; tells its runs from those of another journal. */
    String key();

    /**
     * Where this journal lives, without credentials: {@code sqlite:/abs/path/state.db} or
     * {@code postgresql://host:port/db}. Targets label what they make with it, so a second journal can say where the
     * first one is.
     */
    String location();

    /**
     * Records a request with a new {@link RunKeys key} and its {@link EventType#RUN_QUEUED} event. When an unfinished
     * run of the same stage, kind and commit exists, no new run is made and that one is returned: asking again (after a
     * crash, say) joins it. Of several processes asking at once, exactly one makes the run.
     */
    RunRecord enqueue(RunRequest request, Instant at);

    /** {@link #enqueue(RunRequest, Instant)} without an image or origin. */
    default RunRecord enqueue(String app, String stage, String commit, RunKind kind, String requestedBy, Instant at) {
        return enqueue(new RunRequest(app, stage, commit, kind, requestedBy), at);
    }

    /**
     * Appends an event that needs no lease: requests, approvals, a request withdrawn while queued. Returns it with its
     * sequence number.
     */
    JournalEvent append(long runId, EventType type, String step, Map<String, String> data, Instant at);

    /**
     * Appends an event of the holder of {@code fence}; refused with {@link LeaseLostException} (nothing written) when
     * the stage's lease is no longer that holder's at that epoch.
     */
    JournalEvent append(Fence fence, long runId, EventType type, String step, Map<String, String> data, Instant at);

    Optional<RunRecord> run(long runId);

    List<JournalEvent> events(long runId);

    /**
     * The events of every run of {@code stage}, by run id, each run's in sequence order: one read for a whole stage's
     * history (metrics derive every figure from it), where {@link #events(long)} per run would be one read per run.
     */
    Map<Long, List<JournalEvent>> eventsOfStage(String stage);

    /** Newest first; {@code stage} null for all stages. */
    List<RunRecord> runs(String stage, int limit);

    /** Runs of {@code stage} that have not ended, oldest first (from the run's state row, not its history). */
    List<RunRecord> unfinishedRuns(String stage);

    /**
     * Successful deploys and rollbacks (releases) of {@code stage}, newest first; only those of {@code commit} when it
     * is not null.
     */
    List<RunRecord> releases(String stage, String commit, int limit);

    /**
     * The newest run of {@code stage} that succeeded (its release was verified) for the git tree {@code tree}: what a
     * stage that promotes from {@code stage} deploys.
     */
    Optional<RunRecord> verified(String stage, String tree);

    /**
     * The outputs of the newest successful build of {@code app} at {@code commit} by a run of one of {@code stages}.
     */
    Optional<Map<String, String>> build(String app, String commit, List<String> stages);

    /** How many runs of {@code app} on {@code stage} ended in each terminal state, over the whole journal. */
    Map<RunState, Long> countByState(String app, String stage);

    void log(long runId, String step, String line, Instant at);

    List<LogLine> logs(long runId);

    Optional<Lease> lease(String stage);

    /**
     * Takes the stage lease for {@code holder} if it is free, already {@code holder}'s, expired on the store's clock, or
     * held by a holder for which {@code holderIsDead} is true. Compare-and-set: of several callers one wins. Each
     * acquisition increments the lease's epoch; the returned fence carries it.
     */
    Optional<Fence> tryAcquire(String stage, String holder, long runId, Duration ttl, Predicate<Lease> holderIsDead);

    /** Extends the lease of {@code fence} to {@code ttl} from now (store's clock); false when it was lost. */
    boolean heartbeat(Fence fence, long runId, Duration ttl);

    /** Frees the lease if {@code fence} still holds it. */
    void release(Fence fence);

    @Override
    void close();
}
