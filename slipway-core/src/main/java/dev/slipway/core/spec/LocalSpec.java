package dev.slipway.core.spec;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Settings of the {@code local} target.
 *
 * @param port        the stage's port: without a proxy replica {@code i} listens on {@code port + i}; with one the
 *                    proxy listens on it and the replicas on free internal ports
 * @param network     container network ({@code host} by default, so containers reach loopback services)
 * @param stopGrace   how long a stopped container gets between SIGTERM and SIGKILL
 * @param snapshotDir where database snapshots are kept, relative to the project directory
 * @param proxy       {@code none} (the default) or {@code caddy}: a reverse proxy that owns {@code port}, so that an old
 *                    and a new release can run side by side and a stop-first gap holds requests instead of refusing them
 * @param proxyAdmin  the proxy's admin (and metrics) port on 127.0.0.1; {@code port + 500} by default
 */
public record LocalSpec(int port, String network, Duration stopGrace, String snapshotDir, String proxy, int proxyAdmin) {
    static final Set<String> KEYS = Set.of("port", "network", "stop-grace", "snapshot-dir", "proxy", "proxy-admin");
    /** The engine API takes the grace in whole seconds: from 1 s to an hour. */
    static final Duration MIN_GRACE = Duration.ofSeconds(1);
    static final Duration MAX_GRACE = Duration.ofHours(1);
    public static final String NO_PROXY = "none";
    public static final String CADDY = "caddy";
    static final List<String> PROXIES = List.of(NO_PROXY, CADDY);
    /** The default admin port is this far above {@link #port}; the port's maximum keeps it below 65536. */
    static final int ADMIN_OFFSET = 500;

    /** The settings without a proxy, as before proxies existed. */
    public LocalSpec(int port, String network, Duration stopGrace, String snapshotDir) {
        this(port, network, stopGrace, snapshotDir, NO_PROXY, port + ADMIN_OFFSET);
    }

    /** Whether a reverse proxy owns the stage's port. */
    public boolean proxied() {
        return !NO_PROXY.equals(proxy);
    }

    static LocalSpec read(Node n) {
        n.mapping(KEYS);
        int port = n.integer("port", 18080, 1024, 65000);
        String proxy = n.string("proxy", NO_PROXY, false);
        if (!PROXIES.contains(proxy)) {
            n.get("proxy").problem("must be one of " + String.join(", ", PROXIES) + "; found '" + Node.shown(proxy, 60) + "'"
                    + Suggest.didYouMean(proxy, PROXIES));
            proxy = NO_PROXY;
        }
        int admin = n.integer("proxy-admin", port + ADMIN_OFFSET, 1024, 65535);
        if (admin == port) {
            n.get("proxy-admin").problem("must differ from local.port (" + port + "), which the proxy serves the app on");
        }
        return new LocalSpec(port, n.string("network", "host", false),
                n.duration("stop-grace", Duration.ofSeconds(10), MIN_GRACE, MAX_GRACE), n.string("snapshot-dir", ".slipway/snapshots", false),
                proxy, admin);
    }
}
