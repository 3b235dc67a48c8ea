package dev.slipway.core.engine;

import dev.slipway.core.journal.Lease;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * Names the process that holds a stage lease as {@code host/pid/nonce}. A lease whose holder is a process of this
 * host that no longer exists is dead and may be taken over at once; other hosts' leases wait for their expiry.
 */
public final class Holder {
    private Holder() {
    }

    public static String thisProcess() {
        return host() + "/" + ProcessHandle.current().pid() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static boolean isDead(Lease lease) {
        String[] parts = lease.holder().split("/");
        if (parts.length != 3 || !parts[0].equals(host())) {
            return false;
        }
        try {
            long pid = Long.parseLong(parts[1]);
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
