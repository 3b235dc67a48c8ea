package dev.slipway.local;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The container operations the local target needs, over the Docker Engine API. Narrow on purpose: the steps are
 * tested against an in-memory fake, and one implementation talks to Docker or Podman.
 */
interface Containers {
    /** A container as listed. {@code state} is the engine's: created, running, exited, …; exitCode null unless exited. */
    record Box(String id, String name, String imageId, Map<String, String> labels, String state, Long exitCode) {
        public Box {
            labels = Map.copyOf(labels);
        }

        boolean running() {
            return "running".equals(state) || "restarting".equals(state);
        }

        String label(String key) {
            return labels.getOrDefault(key, "");
        }
    }

    /**
     * What to create.
     *
     * @param entrypoint replaces the image's entrypoint when non-empty ({@code cmd} then holds the rest of the argv)
     * @param hostPort   published on 127.0.0.1 to {@code containerPort} unless the network is {@code host}; 0 for none
     */
    record Spec(String name, String image, List<String> entrypoint, List<String> cmd, Map<String, String> env,
                Map<String, String> labels, String network, int hostPort, int containerPort) {
        public Spec {
            entrypoint = List.copyOf(entrypoint);
            cmd = List.copyOf(cmd);
            env = Map.copyOf(env);
            labels = Map.copyOf(labels);
        }
    }

    /** Every container, in any state, carrying all of {@code labels}. */
    List<Box> list(Map<String, String> labels);

    /** Creates (does not start) a container; returns its id. */
    String create(Spec spec);

    void start(String id);

    /** SIGTERM, up to {@code grace}, then SIGKILL; a container already stopped or gone is fine. */
    void stop(String id, Duration grace);

    /** Removes the container, killing it if it runs; one already gone is fine. */
    void remove(String id);

    /** The container now; null when it no longer exists. */
    Box inspect(String id);

    /**
     * Passes the container's output lines to {@code lines} until it exits or {@code until} passes; returns its exit
     * code, or null when {@code until} passed first.
     */
    Long follow(String id, Consumer<String> lines, Instant until) throws InterruptedException;

    /** The last {@code n} lines the container wrote. */
    List<String> tail(String id, int n);

    /** Whether the engine has an image with this reference or id. */
    boolean imageExists(String ref);
}
