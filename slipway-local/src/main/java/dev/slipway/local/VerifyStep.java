package dev.slipway.local;

import dev.slipway.core.spec.Strategy;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import java.util.List;

/**
 * Waits until every new replica answers its health URL; then the release is live (behind a proxy: the proxy is switched
 * to it now), and only then are the server containers of every other run (the previous release, leftovers of lost runs)
 * and the finished migration containers removed, so that exactly the stage's replicas remain; online behind a proxy the
 * other runs' servers are left to stop-old, which follows.
 */
final class VerifyStep {
    private final Containers containers;
    private final Replicas replicas;
    private final HealthWaits health;

    VerifyStep(Containers containers, HealthWaits health) {
        this.containers = containers;
        this.replicas = new Replicas(containers);
        this.health = health;
    }

    Outputs run(StepContext ctx) {
        List<Containers.Box> boxes = replicas.ofRun(ctx, ctx.runKey());
        if (boxes.size() != ctx.stage().replicas()) {
            throw dev.slipway.core.target.TargetException.permanent("expected " + ctx.stage().replicas() + " replica(s) of run "
                    + ctx.runId() + " but found " + boxes.size() + " (" + StopOldStep.names(boxes) + "); were containers removed by hand?");
        }
        List<HealthWait.Replica> targets = boxes.stream().map(b -> Replicas.replica(ctx, b)).toList();
        health.create(ctx).await(targets, LocalSettings.innerDeadline(ctx), "new release (run " + ctx.runId() + ")", ctx::log);
        if (LocalSettings.proxied(ctx)) {
            // the switch: one admin call, after the new replicas answered directly; online the old ones still serve until now
            CaddyProxy proxy = new CaddyProxy(ctx);
            List<Integer> ports = Replicas.ports(boxes);
            proxy.ensure(ports, LocalSettings.innerDeadline(ctx));
            proxy.switchTo(ports);
        }
        removeOthers(ctx, !LocalSettings.proxied(ctx) || ctx.strategy() != Strategy.ONLINE);
        return Outputs.of("healthy", String.valueOf(targets.size()),
                "urls", String.join(",", targets.stream().map(t -> t.url().toString()).toList()));
    }

    /** Online the other servers are left to stop-old, which stops them gracefully after the switch. */
    private void removeOthers(StepContext ctx, boolean servers) {
        for (Containers.Box b : containers.list(Labels.stage(ctx))) {
            boolean otherServer = servers && Labels.SERVER.equals(b.label(Labels.ROLE)) && !Labels.isThisRun(ctx, b);
            boolean finishedMigration = Labels.MIGRATE.equals(b.label(Labels.ROLE)) && !b.running();
            if (otherServer || finishedMigration) {
                containers.remove(b.id());
                ctx.log("removed " + b.name());
            }
        }
    }
}
