package dev.slipway.core.spec;

import java.time.Duration;
import java.util.Set;

/** Per-step time limits; migrate and verify take theirs from {@code migrations.timeout} and {@code health.timeout}. */
public record TimeoutsSpec(Duration build, Duration snapshot, Duration stop, Duration deploy, Duration compensate) {
    static final Set<String> KEYS = Set.of("build", "snapshot", "stop", "deploy", "compensate");

    static TimeoutsSpec read(Node n) {
        n.mapping(KEYS);
        return new TimeoutsSpec(n.duration("build", Duration.ofMinutes(30)), n.duration("snapshot", Duration.ofMinutes(30)),
                n.duration("stop", Duration.ofMinutes(5)), n.duration("deploy", Duration.ofMinutes(15)),
                n.duration("compensate", Duration.ofMinutes(15)));
    }
}
