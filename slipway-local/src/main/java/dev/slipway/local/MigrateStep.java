package dev.slipway.local;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Runs the migration command in a one-off container of the NEW image with the stage's environment, streaming its
 * output into the run log. A non-zero exit or the timeout fails the step with the tail of that output. The preflight
 * runs the same container against a scratch database through {@link Purpose}.
 */
final class MigrateStep {
    private static final int TAIL = 25;
    private final Containers containers;
    private final Purpose purpose;

    /**
     * What the container is for: its role label and name suffix, environment variables that replace the app's, and
     * what a failure message says about the database afterwards.
     */
    record Purpose(String role, String suffix, Map<String, String> envOverrides, String afterFailure) {
        Purpose {
            envOverrides = Map.copyOf(envOverrides);
        }

        static final Purpose MIGRATE = new Purpose(Labels.MIGRATE, "migrate", Map.of(),
                "the database keeps what the migration tool committed");
    }

    MigrateStep(Containers containers) {
        this(containers, Purpose.MIGRATE);
    }

    MigrateStep(Containers containers, Purpose purpose) {
        this.containers = containers;
        this.purpose = purpose;
    }

    Outputs run(StepContext ctx) {
        String shown = String.join(" ", ctx.spec().migrations().command());
        Containers.Box box = existingOrCreate(ctx, resolvedCommand(ctx));
        Tail tail = new Tail(TAIL);
        Instant start = ctx.clock().instant();
        Long exit = box.exitCode();
        if ("exited".equals(box.state())) {
            ctx.log("migration container " + box.name() + " already ran (an earlier attempt of this run)");
            containers.tail(box.id(), TAIL).forEach(tail);
        } else {
            exit = runToEnd(ctx, box, tail, shown);
        }
        if (exit == null || exit != 0) {
            throw TargetException.permanent("migration `" + shown + "` exited with code " + exit + " in container "
                    + box.name() + "; " + purpose.afterFailure() + Tail.describe(tail.lines()));
        }
        long ms = Duration.between(start, ctx.clock().instant()).toMillis();
        ctx.log("migration finished in " + ms + " ms");
        return Outputs.of("container", box.name(), "exitCode", "0", "durationMs", String.valueOf(ms));
    }

    private Long runToEnd(StepContext ctx, Containers.Box box, Tail tail, String shown) {
        if (!box.running()) {
            ctx.log("running `" + shown + "` in " + box.name());
            containers.start(box.id());
        } else {
            ctx.log("following " + box.name() + ", which an earlier attempt of this run started");
        }
        Instant until = LocalSettings.innerDeadline(ctx);
        try {
            Long exit = containers.follow(box.id(), line -> {
                ctx.log(line);
                tail.accept(line);
            }, until);
            if (exit == null) {
                containers.remove(box.id());
                throw TargetException.permanent("migration `" + shown + "` did not finish within "
                        + ctx.spec().migrations().timeout().toSeconds() + " s (migrations.timeout); container " + box.name()
                        + " was killed" + Tail.describe(tail.lines()));
            }
            return exit;
        } catch (InterruptedException e) {
            containers.remove(box.id());
            Thread.currentThread().interrupt();
            throw TargetException.permanent("migration interrupted; container " + box.name() + " was killed"
                    + Tail.describe(tail.lines()));
        }
    }

    /** The argv with its {@code ${env:NAME}} references resolved (and so masked in the run log). */
    static List<String> resolvedCommand(StepContext ctx) {
        List<dev.slipway.core.spec.ConfigValue> argv = ctx.spec().migrations().argv();
        return java.util.stream.IntStream.range(0, argv.size())
                .mapToObj(i -> ctx.resolve(argv.get(i), dev.slipway.core.spec.MigrationsSpec.path(i))).toList();
    }

    private Containers.Box existingOrCreate(StepContext ctx, List<String> command) {
        List<Containers.Box> found = containers.list(Labels.run(ctx, purpose.role(), ctx.runKey()));
        if (!found.isEmpty()) {
            return containers.inspect(found.get(0).id());
        }
        Map<String, String> env = new java.util.LinkedHashMap<>(ctx.appEnvironment());
        env.putAll(purpose.envOverrides());
        Containers.Spec spec = new Containers.Spec(Labels.name(ctx, ctx.runKey(), purpose.suffix()), LocalSettings.newImage(ctx),
                command.subList(0, 1), command.subList(1, command.size()), env,
                Labels.of(ctx, purpose.role(), ctx.runId(), ctx.runKey(), ctx.commit()), LocalSettings.local(ctx).network(), 0, 0);
        return containers.inspect(containers.create(spec));
    }
}
