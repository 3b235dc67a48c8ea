package dev.slipway.core.spec;

import java.time.Duration;
import java.util.Set;

/**
 * Settings of the {@code local} target.
 *
 * @param port        first host port; replica {@code i} listens on {@code port + i}
 * @param network     container network ({@code host} by default, so containers reach loopback services)
 * @param stopGrace   how long a stopped container gets between SIGTERM and SIGKILL
 * @param snapshotDir where database snapshots are kept, relative to the project directory
 */
public record LocalSpec(int port, String network, Duration stopGrace, String snapshotDir) {
    static final Set<String> KEYS = Set.of("port", "network", "stop-grace", "snapshot-dir");
    /** The engine API takes the grace in whole seconds: from 1 s to an hour. */
    static final Duration MIN_GRACE = Duration.ofSeconds(1);
    static final Duration MAX_GRACE = Duration.ofHours(1);

    static LocalSpec read(Node n) {
        n.mapping(KEYS);
        return new LocalSpec(n.integer("port", 18080, 1024, 65000), n.string("network", "host", false),
                n.duration("stop-grace", Duration.ofSeconds(10), MIN_GRACE, MAX_GRACE), n.string("snapshot-dir", ".slipway/snapshots", false));
    }
}
