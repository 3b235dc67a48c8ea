package dev.slipway.core.engine;

import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * How an {@link Engine} behaves; {@link #defaults(Duration)} is right outside tests.
 *
 * @param holder   this process's name in stage leases (see {@link Holder})
 * @param leaseTtl how long a lease lives without a heartbeat
 * @param retries  backoff for transient target errors
 * @param poll     backoff for waiting on a lease or on approvals
 * @param sleeper  how waits wait
 * @param clock    time for the journal and deadlines
 * @param env      where {@code ${env:NAME}} references are resolved
 * @param parallel build and snapshot at once (true); false runs them one after the other, for comparison benchmarks
 * @param sources  where a run's commit is read from (see {@link Sources})
 * @param approvals approvals given outside Slipway, asked before a gated run is queued (see {@link ApprovalSource})
 */
public record EngineOptions(String holder, Duration leaseTtl, Backoff retries, Backoff poll, Sleeper sleeper, Clock clock,
                            UnaryOperator<String> env, boolean parallel, Sources sources, ApprovalSource approvals) {
    /** Options without an approval source ({@link ApprovalSource#NONE}). */
    public EngineOptions(String holder, Duration leaseTtl, Backoff retries, Backoff poll, Sleeper sleeper, Clock clock,
                         UnaryOperator<String> env, boolean parallel, Sources sources) {
        this(holder, leaseTtl, retries, poll, sleeper, clock, env, parallel, sources, ApprovalSource.NONE);
    }

    /** Options that build from the working tree as it is ({@link Sources#WORKING_TREE}). */
    public EngineOptions(String holder, Duration leaseTtl, Backoff retries, Backoff poll, Sleeper sleeper, Clock clock,
                         UnaryOperator<String> env, boolean parallel) {
        this(holder, leaseTtl, retries, poll, sleeper, clock, env, parallel, Sources.WORKING_TREE);
    }

    public static EngineOptions defaults(Duration leaseTtl) {
        return new EngineOptions(Holder.thisProcess(), leaseTtl, Backoff.RETRIES, Backoff.POLL, Sleeper.REAL,
                Clock.systemUTC(), System::getenv, true);
    }

    public EngineOptions sequential() {
        return new EngineOptions(holder, leaseTtl, retries, poll, sleeper, clock, env, false, sources, approvals);
    }

    public EngineOptions withSources(Sources from) {
        return new EngineOptions(holder, leaseTtl, retries, poll, sleeper, clock, env, parallel, from, approvals);
    }

    public EngineOptions withApprovals(ApprovalSource source) {
        return new EngineOptions(holder, leaseTtl, retries, poll, sleeper, clock, env, parallel, sources, source);
    }
}
