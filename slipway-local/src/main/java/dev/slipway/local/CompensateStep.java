package dev.slipway.local;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import java.util.List;

/**
 * Brings the previous release back: removes everything this run made, restores the snapshot if asked, starts the
 * previous release's stopped containers (recreating any that went missing) and waits until they are healthy. Outputs
 * {@code restored}: the key of the release now serving, or {@code none} when nothing was started.
 */
final class CompensateStep {
    private final Containers containers;
    private final Replicas replicas;
    private final RestoreStep restore;
    private final HealthWaits health;

    CompensateStep(Containers containers, RestoreStep restore, HealthWaits health) {
        this.containers = containers;
        this.replicas = new Replicas(containers);
        this.restore = restore;
        this.health = health;
    }

    Outputs run(StepContext ctx, boolean restoreSnapshot) {
        removeThisRun(ctx);
        if (restoreSnapshot) {
            restoreSnapshot(ctx);
        }
        PreviousRelease previous = ctx.outputsOf(StepName.STOP_OLD).flatMap(PreviousRelease::fromOutputs)
                .orElseGet(() -> PreviousRelease.find(ctx, containers.list(Labels.role(ctx, Labels.SERVER))));
        if (previous.isNone()) {
            ctx.log("nothing was serving stage " + ctx.stage().name() + " before this run: nothing to start again");
            return Outputs.of("restored", "none");
        }
        List<Containers.Box> boxes = replicas.ensureCreated(ctx, previous.runId(), previous.key(), previous.commit(), previous.image(),
                previous.replicas(), ctx::log);
        for (Containers.Box b : boxes) {
            if (!b.running()) {
                containers.start(b.id());
                ctx.log("started " + b.name() + " again");
            }
        }
        List<HealthWait.Replica> targets = boxes.stream().map(b -> Replicas.replica(ctx, b)).toList();
        health.create(ctx).await(targets, LocalSettings.innerDeadline(ctx), "previous release (run " + previous.runId() + ")",
                ctx::log);
        return Outputs.of("restored", previous.key(), "restoredRun", String.valueOf(previous.runId()), "commit", previous.commit(),
                "containers", String.join(",", boxes.stream().map(Containers.Box::id).toList()));
    }

    private void removeThisRun(StepContext ctx) {
        for (Containers.Box b : containers.list(Labels.stage(ctx))) {
            if (Labels.isThisRun(ctx, b)) {
                containers.remove(b.id());
                ctx.log("removed " + b.name());
            }
        }
    }

    private void restoreSnapshot(StepContext ctx) {
        String id = ctx.outputsOf(StepName.SNAPSHOT).flatMap(o -> o.get("snapshot")).orElse("none");
        if ("none".equals(id)) {
            ctx.log("restore-on-failure is set but this run has no snapshot; the database is left as it is");
            return;
        }
        restore.run(ctx, id, ctx.deadline());
    }
}
