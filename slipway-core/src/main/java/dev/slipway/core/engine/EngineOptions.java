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
 */
public record EngineOptions(String holder, Duration leaseTtl, Backoff retries, Backoff poll, Sleeper sleeper, Clock clock,
                            UnaryOperator<String> env) {
    public static EngineOptions defaults(Duration leaseTtl) {
        return new EngineOptions(Holder.thisProcess(), leaseTtl, Backoff.RETRIES, Backoff.POLL, Sleeper.REAL,
                Clock.systemUTC(), System::getenv);
    }

    public EngineOptions withHolder(String newHolder) {
        return new EngineOptions(newHolder, leaseTtl, retries, poll, sleeper, clock, env);
    }

    public EngineOptions withRetries(Backoff newRetries) {
        return new EngineOptions(holder, leaseTtl, newRetries, poll, sleeper, clock, env);
    }
}
