package dev.slipway.core.spec;

import java.time.Duration;
import java.util.Set;

/** Per-step time limits; migrate and verify take theirs from {@code migrations.timeout} and {@code health.timeout}. */
public record TimeoutsSpec(Duration build, Duration snapshot, Duration stop, Duration deploy, Duration compensate) {
    static final Set<String> KEYS = Set.of("build", "snapshot", "stop", "deploy", "compensate");
    /** The longest any step may be given (also {@code migrations.timeout} and {@code health.timeout}): a week. */
    public static final Duration MAX_STEP = Duration.ofDays(7);
    static final Duration MIN_STEP = Duration.ofMillis(1);

    static TimeoutsSpec read(Node n) {
        n.mapping(KEYS);
        return new TimeoutsSpec(step(n, "build", Duration.ofMinutes(30)), step(n, "snapshot", Duration.ofMinutes(30)),
                step(n, "stop", Duration.ofMinutes(5)), step(n, "deploy", Duration.ofMinutes(15)),
                step(n, "compensate", Duration.ofMinutes(15)));
    }

    /** A step's time limit: longer than zero and at most {@link #MAX_STEP}. */
    static Duration step(Node n, String key, Duration fallback) {
        return n.duration(key, fallback, MIN_STEP, MAX_STEP);
    }
}
