package dev.slipway.core.spec;

import java.time.Duration;
import java.util.Set;

/**
 * How Slipway decides that a replica is healthy: an HTTP GET answering 2xx.
 *
 * @param path    request path, starting with '/'
 * @param port    the container's port that serves it
 * @param timeout how long a new release may take to become healthy
 */
public record HealthSpec(String path, int port, Duration timeout) {
    static final Set<String> KEYS = Set.of("path", "port", "timeout");

    static HealthSpec read(Node n) {
        n.mapping(KEYS);
        String path = n.string("path", "/healthz", false);
        if (!path.startsWith("/")) {
            n.get("path").problem("must start with '/'");
        }
        return new HealthSpec(path, n.integer("port", 8080, 1, 65535), TimeoutsSpec.step(n, "timeout", Duration.ofSeconds(60)));
    }
}
