package dev.slipway.local;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What was serving the stage before this run, as stop-old journals it, so compensation can start it again from
 * any process. Its containers are kept (stopped) until a later release is verified healthy, so a stop-old resumed after
 * a crash finds the same release again.
 *
 * @param runId      the run that deployed it (its number in its journal; 0 when unknown or when nothing was serving)
 * @param key        that run's key, which its containers carry (see {@link Labels#RUN_KEY}); empty when nothing was serving
 * @param image      its image id, to recreate a replica that went missing
 * @param containers its container ids, ordered by replica
 */
record PreviousRelease(long runId, String key, String commit, String image, List<String> containers, List<String> names) {
    static final PreviousRelease NONE = new PreviousRelease(0, "", "", "", List.of(), List.of());

    PreviousRelease {
        containers = List.copyOf(containers);
        names = List.copyOf(names);
    }

    boolean isNone() {
        return key.isEmpty() || containers.isEmpty();
    }

    int replicas() {
        return containers.size();
    }

    /**
     * Picks the previous release among the stage's server containers of other runs, running or stopped: the journal's
     * previous release if any of its containers are left, else the newest run (by key) that has containers, else none.
     */
    static PreviousRelease find(StepContext ctx, List<Containers.Box> servers) {
        List<Containers.Box> others = servers.stream()
                .filter(b -> !Labels.isThisRun(ctx, b) && !Labels.keyOf(b).isEmpty()).toList();
        Optional<String> journaled = ctx.previousRelease().map(StepContext.Release::runKey)
                .filter(key -> others.stream().anyMatch(b -> key.equals(Labels.keyOf(b))));
        Optional<String> run = journaled.or(() -> others.stream().map(Labels::keyOf).max(Labels.BY_AGE));
        return run.map(key -> of(others.stream().filter(b -> key.equals(Labels.keyOf(b))).toList())).orElse(NONE);
    }

    private static PreviousRelease of(List<Containers.Box> boxes) {
        List<Containers.Box> sorted = boxes.stream().sorted(Comparator.comparingInt(Replicas::index)).toList();
        Containers.Box first = sorted.get(0);
        return new PreviousRelease(Math.max(0, runOf(first)), Labels.keyOf(first), first.label(Labels.COMMIT), first.imageId(),
                sorted.stream().map(Containers.Box::id).toList(), sorted.stream().map(Containers.Box::name).toList());
    }

    static long runOf(Containers.Box box) {
        try {
            return Long.parseLong(box.label(Labels.RUN));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Adds this release to stop-old's outputs; {@code previous} (its key, or none) is what the engine reads. */
    void putInto(Map<String, String> out) {
        out.put("previous", isNone() ? "none" : key);
        out.put("previousRun", String.valueOf(runId));
        out.put("previousRunKey", key);
        out.put("previousCommit", commit);
        out.put("previousImage", image);
        out.put("previousContainers", String.join(",", containers));
        out.put("previousNames", String.join(",", names));
        out.put("previousReplicas", String.valueOf(replicas()));
    }

    /** Reads what {@link #putInto} wrote; empty when the outputs are not stop-old's. */
    static Optional<PreviousRelease> fromOutputs(Outputs out) {
        return out.get("previousRun").map(run -> new PreviousRelease(Long.parseLong(run),
                out.get("previousRunKey").orElse(run), out.get("previousCommit").orElse(""), out.get("previousImage").orElse(""),
                split(out.get("previousContainers").orElse("")), split(out.get("previousNames").orElse(""))));
    }

    private static List<String> split(String csv) {
        return csv.isEmpty() ? List.of() : Arrays.stream(csv.split(",")).collect(Collectors.toList());
    }

    String describe() {
        return isNone() ? "nothing" : "run " + runId + " (key " + key + ", " + commit + ", " + replicas() + " replica(s): "
                + String.join(", ", names) + ")";
    }
}
