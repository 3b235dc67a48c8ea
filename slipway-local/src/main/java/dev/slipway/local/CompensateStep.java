package dev.slipway.local;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import java.util.List;

/**
 * Brings the previous release back: removes everything this run made, restores the snapshot if asked, starts the
 * previous release's stopped containers (recreating any that went missing) and waits until they are healthy. Outputs
 * {@code restored}: the key of the release now serving, or {@code none} when nothing was started. Behind a proxy the proxy
 * then forwards to the previous release again.
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
        CaddyProxy proxy = LocalSettings.proxied(ctx) ? new CaddyProxy(ctx) : null;
        if (proxy != null) {
            switchBackFirst(ctx, proxy);
        }
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
        List<Containers.Box> boxes = proxy == null ? replicas.ensureCreated(ctx, previous.runId(), previous.key(), previous.commit(),
                previous.image(), previous.replicas(), ctx::log) : behindProxy(ctx, proxy, previous);
        for (Containers.Box b : boxes) {
            if (!b.running()) {
                containers.start(b.id());
                ctx.log("started " + b.name() + " again");
            }
        }
        List<HealthWait.Replica> targets = boxes.stream().map(b -> Replicas.replica(ctx, b)).toList();
        health.create(ctx).await(targets, LocalSettings.innerDeadline(ctx), "previous release (run " + previous.runId() + ")",
                ctx::log);
        if (proxy != null) {
            List<Integer> ports = Replicas.ports(boxes);
            proxy.ensure(ports, LocalSettings.innerDeadline(ctx));
            proxy.switchTo(ports);
        }
        return Outputs.of("restored", previous.key(), "restoredRun", String.valueOf(previous.runId()), "commit", previous.commit(),
                "containers", String.join(",", boxes.stream().map(Containers.Box::id).toList()));
    }

    /**
     * When the previous release still runs in full (online, failed before or after the switch), the proxy goes back to it
     * before this run's replicas are removed, so no request waits.
     */
    private void switchBackFirst(StepContext ctx, CaddyProxy proxy) {
        PreviousRelease previous = ctx.outputsOf(StepName.STOP_OLD).flatMap(PreviousRelease::fromOutputs)
                .orElseGet(() -> PreviousRelease.find(ctx, containers.list(Labels.role(ctx, Labels.SERVER))));
        if (previous.isNone()) {
            return;
        }
        List<Containers.Box> boxes = replicas.ofRun(ctx, previous.key());
        if (boxes.size() == previous.replicas() && boxes.stream().allMatch(Containers.Box::running) && proxy.upstreams().isPresent()) {
            proxy.switchTo(Replicas.ports(boxes));
        }
    }

    /**
     * The previous release's replicas behind the proxy. After a stop-first gap the proxy still forwards to this run's
     * (now removed) ports and holds requests for them; any config change would abort those, so the previous release is
     * brought back on exactly those ports (its stopped containers recreated there) and the held requests flow to it.
     * Otherwise (no held requests to keep, or another replica count) its containers are started where they are.
     */
    private List<Containers.Box> behindProxy(StepContext ctx, CaddyProxy proxy, PreviousRelease previous) {
        List<Containers.Box> existing = replicas.ofRun(ctx, previous.key());
        List<Integer> held = proxy.upstreams().orElse(List.of());
        boolean onHeldPorts = !held.isEmpty() && held.size() == previous.replicas() && !held.equals(Replicas.ports(existing))
                && existing.stream().noneMatch(Containers.Box::running);
        if (!onHeldPorts) {
            return replicas.ensureCreated(ctx, previous.runId(), previous.key(), previous.commit(), previous.image(),
                    previous.replicas(), ctx::log);
        }
        ctx.log("the proxy holds requests for ports " + CaddyProxy.describe(held) + ": bringing the previous release back there");
        for (Containers.Box b : existing) {
            containers.remove(b.id());
        }
        return replicas.ensureCreatedOn(ctx, previous.runId(), previous.key(), previous.commit(), previous.image(), held, ctx::log);
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
