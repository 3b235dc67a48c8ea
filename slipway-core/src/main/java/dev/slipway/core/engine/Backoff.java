package dev.slipway.core.engine;

import java.time.Duration;

/**
 * Exponential backoff: {@code initial}, times {@code multiplier} after each try, never above {@code max}. Used for
 * retries of transient target errors and for every poll the engine does (lease, approvals).
 */
public record Backoff(Duration initial, double multiplier, Duration max, int maxAttempts) {
    public static final Backoff RETRIES = new Backoff(Duration.ofMillis(250), 2.0, Duration.ofSeconds(10), 5);
    public static final Backoff POLL = new Backoff(Duration.ofMillis(50), 1.5, Duration.ofSeconds(1), Integer.MAX_VALUE);

    public Backoff {
        if (initial.isNegative() || max.compareTo(initial) < 0 || multiplier < 1.0 || maxAttempts < 1) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max, multiplier >= 1, attempts >= 1");
        }
    }

    /** The wait before try number {@code attempt + 1}, where {@code attempt} counts from 1. */
    public Duration delayAfter(int attempt) {
        double millis = initial.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 1));
        return millis >= max.toMillis() ? max : Duration.ofMillis((long) millis);
    }
}
