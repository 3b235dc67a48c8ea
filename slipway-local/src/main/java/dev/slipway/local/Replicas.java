package dev.slipway.local;

import dev.slipway.core.target.StepContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** The server containers of one run: how each is made, finding them, creating the missing ones. */
final class Replicas {
    private final Containers containers;

    Replicas(Containers containers) {
        this.containers = containers;
    }

    /** The server containers of the run with key {@code runKey} on the stage, ordered by replica. */
    List<Containers.Box> ofRun(StepContext ctx, String runKey) {
        List<Containers.Box> boxes = new ArrayList<>(containers.list(Labels.run(ctx, Labels.SERVER, runKey)));
        boxes.sort(Comparator.comparingInt(Replicas::index));
        return boxes;
    }

    /**
     * Creates whichever of replicas {@code 0..count-1} of run {@code runId} do not exist yet; returns all of them. Without
     * a proxy replica {@code i} gets port {@code local.port + i}; behind one, a free port no container of the stage has.
     */
    List<Containers.Box> ensureCreated(StepContext ctx, long runId, String runKey, String commit, String image, int count,
                                       Consumer<String> log) {
        return ensureCreated(ctx, runId, runKey, commit, image, count, null, log);
    }

    /** Like {@link #ensureCreated}, replica {@code i} made with port {@code ports.get(i)} (the proxy's upstreams). */
    List<Containers.Box> ensureCreatedOn(StepContext ctx, long runId, String runKey, String commit, String image,
                                         List<Integer> ports, Consumer<String> log) {
        return ensureCreated(ctx, runId, runKey, commit, image, ports.size(), ports, log);
    }

    private List<Containers.Box> ensureCreated(StepContext ctx, long runId, String runKey, String commit, String image, int count,
                                               List<Integer> ports, Consumer<String> log) {
        List<Containers.Box> existing = ofRun(ctx, runKey);
        Map<Integer, Containers.Box> byIndex = new LinkedHashMap<>();
        existing.forEach(b -> byIndex.put(index(b), b));
        Map<String, String> env = null;
        Set<Integer> taken = null;
        for (int i = 0; i < count; i++) {
            if (!byIndex.containsKey(i)) {
                env = env == null ? ctx.appEnvironment() : env;
                int port;
                if (ports != null) {
                    port = ports.get(i);
                } else if (LocalSettings.proxied(ctx)) {
                    taken = taken == null ? portsOf(containers.list(Labels.stage(ctx))) : taken;
                    do {
                        port = LocalSettings.freePort();
                    } while (!taken.add(port));
                } else {
                    port = LocalSettings.hostPort(ctx, i);
                }
                Containers.Spec spec = spec(ctx, runId, runKey, commit, image, i, port, env);
                String id = containers.create(spec);
                log.accept("created " + spec.name() + " from " + LocalSettings.shortId(image) + " (port " + spec.hostPort() + ")");
                byIndex.put(i, containers.inspect(id));
            }
        }
        return byIndex.values().stream().sorted(Comparator.comparingInt(Replicas::index)).toList();
    }

    /** The ports the boxes listen on (their {@link Labels#PORT}), in order. */
    static List<Integer> ports(List<Containers.Box> boxes) {
        return boxes.stream().map(b -> b.label(Labels.PORT)).filter(p -> !p.isEmpty()).map(Integer::valueOf).toList();
    }

    private static Set<Integer> portsOf(List<Containers.Box> boxes) {
        return new HashSet<>(ports(boxes));
    }

    /** The container of replica {@code i} without a proxy (port {@code local.port + i}). */
    static Containers.Spec spec(StepContext ctx, long runId, String runKey, String commit, String image, int i,
                                Map<String, String> appEnv) {
        return spec(ctx, runId, runKey, commit, image, i, LocalSettings.hostPort(ctx, i), appEnv);
    }

    /** The container of replica {@code i} on {@code hostPort}; in host networking the app is told its port through {@code PORT}. */
    static Containers.Spec spec(StepContext ctx, long runId, String runKey, String commit, String image, int i, int hostPort,
                                Map<String, String> appEnv) {
        Map<String, String> env = new LinkedHashMap<>(appEnv);
        env.put("APP_VERSION", commit);
        if (LocalSettings.hostNetwork(ctx)) {
            env.put("PORT", String.valueOf(hostPort));
        }
        Map<String, String> labels = new LinkedHashMap<>(Labels.of(ctx, Labels.SERVER, runId, runKey, commit));
        labels.put(Labels.REPLICA, String.valueOf(i));
        labels.put(Labels.PORT, String.valueOf(hostPort));
        return new Containers.Spec(Labels.name(ctx, runKey, String.valueOf(i)), image, List.of(), List.of(), env, labels,
                LocalSettings.local(ctx).network(), hostPort, ctx.spec().health().port());
    }

    /** What the health wait polls for a container made by {@link #spec}. */
    static HealthWait.Replica replica(StepContext ctx, Containers.Box box) {
        return new HealthWait.Replica(box.name(), box.id(), LocalSettings.healthUrl(ctx, Integer.parseInt(box.label(Labels.PORT))));
    }

    static int index(Containers.Box box) {
        try {
            return Integer.parseInt(box.label(Labels.REPLICA));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
