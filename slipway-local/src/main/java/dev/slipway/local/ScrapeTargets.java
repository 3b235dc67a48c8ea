package dev.slipway.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.slipway.core.target.StepContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Prometheus {@code file_sd} file of a stage ({@code metrics.file-sd}/{@code <app>-<stage>.json}): one target group
 * per running server replica, {@code 127.0.0.1:<port>} labelled {@code app}, {@code stage}, {@code version} (the
 * commit) and {@code replica}. Rewritten whenever a step may have changed which replicas run; written to a temporary
 * file in the same directory and renamed over the old one, so Prometheus reads either the old list or the new one.
 * It holds addresses and labels only, never the stage's environment, hence readable by all (0644): Prometheus
 * usually runs as another user.
 */
final class ScrapeTargets {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final java.util.function.Supplier<Containers> containers;

    /** Takes the client lazily: called after a step failed, it must not throw in its place when there is no engine. */
    ScrapeTargets(java.util.function.Supplier<Containers> containers) {
        this.containers = containers;
    }

    /** The file of the stage in {@code ctx}; empty when {@code metrics.file-sd} is not set. */
    static Optional<Path> file(StepContext ctx) {
        String dir = ctx.spec().metrics().fileSd();
        if (dir == null) {
            return Optional.empty();
        }
        return Optional.of(ctx.spec().baseDir().resolve(dir).resolve(ctx.spec().app() + "-" + ctx.stage().name() + ".json")
                .normalize());
    }

    /**
     * Rewrites the stage's file from the containers running now. A failure is logged, not thrown: the stage itself is
     * as the step left it, only Prometheus's view is stale until the next write.
     */
    void update(StepContext ctx) {
        Optional<Path> file = file(ctx);
        if (file.isEmpty()) {
            return;
        }
        try {
            List<Map<String, Object>> groups = groups(ctx, containers.get().list(Labels.role(ctx, Labels.SERVER)));
            write(file.get(), JSON.writeValueAsString(groups) + "\n");
        } catch (IOException | RuntimeException e) {
            ctx.log("warning: could not update the Prometheus targets file " + file.get() + " (" + e.getMessage()
                    + "); Prometheus sees the old replicas until the next deploy");
        }
    }

    static List<Map<String, Object>> groups(StepContext ctx, List<Containers.Box> boxes) {
        return boxes.stream().filter(Containers.Box::running).filter(b -> !b.label(Labels.PORT).isEmpty())
                .sorted(Comparator.comparing(Labels::keyOf).thenComparingInt(Replicas::index))
                .map(b -> group(ctx, b)).toList();
    }

    private static Map<String, Object> group(StepContext ctx, Containers.Box box) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app", ctx.spec().app());
        labels.put("stage", ctx.stage().name());
        labels.put("version", box.label(Labels.COMMIT));
        labels.put("replica", box.label(Labels.REPLICA));
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("targets", List.of("127.0.0.1:" + box.label(Labels.PORT)));
        group.put("labels", labels);
        return group;
    }

    /** Temporary file beside {@code file} (not matching {@code *.json}), then an atomic rename over it. */
    static void write(Path file, String content) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, content);
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
