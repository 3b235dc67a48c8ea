package dev.slipway.local;

import dev.slipway.core.engine.Backoff;
import dev.slipway.core.engine.Sleeper;
import dev.slipway.core.target.TargetException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Polls every replica's health URL with backoff until all answer 2xx, a replica's container exits (fails at once with
 * its output) or the deadline passes (fails naming each unhealthy replica, its last answer and output).
 */
final class HealthWait {
    /** One HTTP GET: the status code, or an exception when nothing answered. */
    @FunctionalInterface
    interface Probe {
        int get(URI url) throws Exception;
    }

    /** A replica to wait for. */
    record Replica(String name, String containerId, URI url) {
    }

    static final Backoff POLL = new Backoff(Duration.ofMillis(100), 1.5, Duration.ofSeconds(2), Integer.MAX_VALUE);
    private static final int TAIL = 15;
    private final Probe probe;
    private final Containers containers;
    private final Clock clock;
    private final Sleeper sleeper;

    HealthWait(Probe probe, Containers containers, Clock clock, Sleeper sleeper) {
        this.probe = probe;
        this.containers = containers;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Returns when every replica is healthy; {@code what} names the release in messages ("release of run 7"). */
    void await(List<Replica> replicas, Instant deadline, String what, Consumer<String> log) {
        Map<Replica, String> pending = new LinkedHashMap<>();
        replicas.forEach(r -> pending.put(r, "no answer yet"));
        Instant started = clock.instant();
        for (int attempt = 1; ; attempt++) {
            for (Replica r : new ArrayList<>(pending.keySet())) {
                String result = check(r);
                if (result == null) {
                    pending.remove(r);
                    log.accept(r.name() + " is healthy (" + r.url() + ") after "
                            + Duration.between(started, clock.instant()).toMillis() + " ms");
                } else {
                    pending.put(r, result);
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            failIfExited(pending.keySet(), what);
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw TargetException.permanent(timeoutMessage(pending, what, Duration.between(started, clock.instant())));
            }
            Duration delay = POLL.delayAfter(attempt);
            pause(delay.compareTo(left) < 0 ? delay : left);
        }
    }

    /** null when healthy, else what the replica answered. */
    private String check(Replica r) {
        try {
            int status = probe.get(r.url());
            return status >= 200 && status < 300 ? null : "HTTP " + status;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TargetException.permanent("health check of " + r.name() + " was interrupted");
        } catch (Exception e) {
            return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
    }

    private void failIfExited(Iterable<Replica> pending, String what) {
        for (Replica r : pending) {
            Containers.Box box = containers.inspect(r.containerId());
            if (box == null) {
                throw TargetException.permanent(what + ": container " + r.name() + " disappeared before it became healthy");
            }
            if (!box.running()) {
                throw TargetException.permanent(what + ": container " + r.name() + " is " + box.state()
                        + (box.exitCode() == null ? "" : " with exit code " + box.exitCode())
                        + " instead of serving " + r.url() + Tail.describe(containers.tail(r.containerId(), TAIL)));
            }
        }
    }

    private String timeoutMessage(Map<Replica, String> pending, String what, Duration waited) {
        StringBuilder sb = new StringBuilder(what).append(": ").append(pending.size()).append(" replica(s) not healthy after ")
                .append(waited.toSeconds()).append(" s (health.timeout)");
        pending.forEach((r, last) -> sb.append("\n  ").append(r.name()).append(" at ").append(r.url())
                .append(": last answer ").append(last).append(Tail.describe(containers.tail(r.containerId(), TAIL))));
        return sb.toString();
    }

    private void pause(Duration delay) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TargetException.permanent("health check interrupted");
        }
    }
}
