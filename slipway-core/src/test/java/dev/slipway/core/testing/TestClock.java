package dev.slipway.core.testing;

import dev.slipway.core.engine.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that moves only when told, safe to share between threads. Tests reach a timeout by advancing it once the
 * step is known to be running, never by waiting for it; {@link #ticker()} makes the engine's waits (lease and approval
 * polls, retry backoff) move this clock instead of blocking, and counts them.
 */
public final class TestClock extends Clock {
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private final Instant start;
    private final AtomicReference<Instant> now;
    private final AtomicLong waits = new AtomicLong();
    private final ZoneId zone;

    public TestClock() {
        this(START);
    }

    public TestClock(Instant start) {
        this(start, new AtomicReference<>(start), ZoneOffset.UTC);
    }

    private TestClock(Instant start, AtomicReference<Instant> now, ZoneId zone) {
        this.start = start;
        this.now = now;
        this.zone = zone;
    }

    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("a clock does not go back: " + by);
        }
        now.updateAndGet(t -> t.plus(by));
    }

    /**
     * The engine's way of waiting, made to advance this clock by the wait and return at once (after a yield, so that a
     * poll loop does not starve the threads it waits for). An interrupted thread gets an InterruptedException, as from
     * any blocking wait.
     */
    public Sleeper ticker() {
        return d -> {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while waiting " + d);
            }
            advance(d);
            waits.incrementAndGet();
            Thread.yield();
        };
    }

    /** How often the {@link #ticker()} waited: how many rounds a poll loop has gone. */
    public long waits() {
        return waits.get();
    }

    /** How far this clock has moved since it was made. */
    public Duration elapsed() {
        return Duration.between(start, instant());
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** The same moving instant seen in another zone (the two stay in step). */
    @Override
    public Clock withZone(ZoneId other) {
        return new TestClock(start, now, other);
    }
}
