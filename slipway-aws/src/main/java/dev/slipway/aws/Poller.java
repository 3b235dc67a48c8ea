package dev.slipway.aws;

import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The one way the ecs target waits: probe at once, then again after {@code first}, growing by {@code factor} up to
 * {@code cap}, until the probe answers or the step's deadline comes. A transient AWS error in a probe is one more
 * "not yet". The AWS CLI's waiters sleep a fixed 6 or 15 s between probes; this is what makes Slipway's waits short.
 */
final class Poller {
    static final Poller DEFAULT = new Poller(Duration.ofMillis(150), 1.6, Duration.ofSeconds(3), Poller::sleep);
    /** Time kept before the step's deadline so a timed-out wait can still explain itself before the engine gives up. */
    private static final Duration MARGIN = Duration.ofSeconds(1);

    private final Duration first;
    private final double factor;
    private final Duration cap;
    private final Pause pause;

    Poller(Duration first, double factor, Duration cap, Pause pause) {
        this.first = first;
        this.factor = factor;
        this.cap = cap;
        this.pause = pause;
    }

    /** How a poll waits between probes; tests record instead of sleeping. */
    @FunctionalInterface
    interface Pause {
        void sleep(Duration d) throws InterruptedException;
    }

    /** What a timed-out wait reports: the last thing the probe saw (or null if it never answered). */
    @FunctionalInterface
    interface Timeout<S> {
        TargetException describe(S lastSeen);
    }

    /**
     * Polls {@code probe} until {@code done} accepts what it returned, and returns that. {@code done} throws a
     * permanent {@link TargetException} for a state that can never turn good (a failed rollout). At the deadline
     * throws what {@code timeout} makes of the last answer; when interrupted, a permanent failure.
     */
    <S> S until(StepContext ctx, Supplier<S> probe, Predicate<S> done, Timeout<S> timeout) {
        Clock clock = ctx.clock();
        Instant stopAt = stopAt(clock.instant(), ctx.deadline());
        S last = null;
        for (int attempt = 0; ; attempt++) {
            try {
                S seen = probe.get();
                last = seen;
                if (done.test(seen)) {
                    return seen;
                }
            } catch (TargetException e) {
                if (!e.isTransient()) {
                    throw e;
                }
            }
            Instant now = clock.instant();
            if (!now.isBefore(stopAt)) {
                throw timeout.describe(last);
            }
            Duration delay = delayAfter(attempt);
            Duration left = Duration.between(now, stopAt);
            try {
                pause.sleep(delay.compareTo(left) < 0 ? delay : left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw TargetException.permanent("waiting was interrupted (the run was cancelled or timed out)");
            }
        }
    }

    /** The pause after probe number {@code attempt} (0 = the first, immediate probe). */
    Duration delayAfter(int attempt) {
        double millis = first.toMillis() * Math.pow(factor, attempt);
        return millis >= cap.toMillis() ? cap : Duration.ofMillis((long) millis);
    }

    private static Instant stopAt(Instant now, Instant deadline) {
        Duration left = Duration.between(now, deadline);
        Duration margin = left.dividedBy(10).compareTo(MARGIN) < 0 ? left.dividedBy(10) : MARGIN;
        return deadline.minus(margin);
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
