package dev.slipway.core.engine;

import dev.slipway.core.journal.Lease;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

/**
 * Names the process that holds a stage lease as {@code host/boot/pid/start}: the host name, the kernel's boot id (so two
 * machines that share a host name, or one machine after a reboot, are never taken for each other), the pid and the
 * process's start time (so a reused pid is not taken for the holder). A lease whose holder provably no longer runs on
 * this very boot of this host is dead and may be taken over at once; any other lease waits for its expiry.
 */
public final class Holder {
    private static final String BOOT = bootId();

    private Holder() {
    }

    public static String thisProcess() {
        ProcessHandle self = ProcessHandle.current();
        return host() + "/" + BOOT + "/" + self.pid() + "/" + startOf(self).orElse("x" + UUID.randomUUID().toString().substring(0, 8));
    }

    public static boolean isDead(Lease lease) {
        String[] parts = lease.holder().split("/");
        if (parts.length != 4 || !parts[0].equals(host()) || !parts[1].equals(BOOT) || BOOT.startsWith("x")) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            return false;
        }
        Optional<ProcessHandle> p = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (p.isEmpty()) {
            return true;
        }
        Optional<String> start = startOf(p.get());
        return start.isPresent() && !parts[3].startsWith("x") && !start.get().equals(parts[3]);
    }

    private static Optional<String> startOf(ProcessHandle p) {
        return p.info().startInstant().map(i -> Long.toString(i.toEpochMilli(), 36));
    }

    /** The kernel's boot id where there is one (Linux); else a value no other process shares, so nothing is presumed dead. */
    private static String bootId() {
        try {
            String id = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim().replace("-", "");
            if (!id.isEmpty()) {
                return id.substring(0, Math.min(12, id.length()));
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return "x" + UUID.randomUUID().toString().replace("-", "").substring(0, 11);
    }

    private static String host() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.replace('/', '_');
        }
        try {
            return InetAddress.getLocalHost().getHostName().replace('/', '_');
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
