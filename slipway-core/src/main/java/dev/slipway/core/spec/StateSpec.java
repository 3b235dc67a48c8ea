package dev.slipway.core.spec;

import java.time.Duration;
import java.util.Set;

/**
 * Where the run journal lives.
 *
 * @param url      JDBC URL of the store; null means the SQLite file {@code .slipway/state.db} (or SLIPWAY_STATE_URL)
 * @param user     PostgreSQL user, may be a reference
 * @param password PostgreSQL password, a {@code ${env:NAME}} reference
 * @param leaseTtl how long a stage lease lives without a heartbeat before another process may take the run over
 */
public record StateSpec(ConfigValue url, ConfigValue user, ConfigValue password, Duration leaseTtl) {
    static final Set<String> KEYS = Set.of("url", "user", "password", "lease-ttl");
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(30);
    /**
     * A lease lives at least a second (heartbeats come every third of it, a stop is awaited for a quarter) and at
     * most an hour (a crashed holder's stage stays blocked that long).
     */
    static final Duration MIN_LEASE_TTL = Duration.ofSeconds(1);
    static final Duration MAX_LEASE_TTL = Duration.ofHours(1);

    static StateSpec read(Node n) {
        if (!n.mapping(KEYS)) {
            return new StateSpec(null, null, null, DEFAULT_LEASE_TTL);
        }
        ConfigValue url = n.url("url", false);
        if (url != null && !url.isSecret() && !url.template().startsWith("jdbc:sqlite:")
                && !url.template().startsWith("jdbc:postgresql://")) {
            n.get("url").problem("must be jdbc:sqlite:FILE or jdbc:postgresql://host:port/db");
        }
        return new StateSpec(url, n.value("user", false), DatabaseSpec.password(n),
                n.duration("lease-ttl", DEFAULT_LEASE_TTL, MIN_LEASE_TTL, MAX_LEASE_TTL));
    }
}
