package dev.slipway.local;

import dev.slipway.core.spec.Strategy;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import java.util.List;

/**
 * Starts the new release's replicas (created by stop-old; any missing are created now). Health is verify's job. Online
 * behind a proxy, the old release keeps serving: the proxy is started (pointing at it) if it is not running.
 */
final class DeployStep {
    private final Containers containers;
    private final Replicas replicas;

    DeployStep(Containers containers) {
        this.containers = containers;
        this.replicas = new Replicas(containers);
    }

    Outputs run(StepContext ctx) {
        String image = LocalSettings.newImage(ctx);
        List<Containers.Box> boxes = replicas.ensureCreated(ctx, ctx.runId(), ctx.runKey(), ctx.commit(), image, ctx.stage().replicas(), ctx::log);
        if (LocalSettings.proxied(ctx) && ctx.strategy() == Strategy.ONLINE) {
            // the old release keeps serving through the proxy while the new one starts beside it
            List<Integer> serving = Replicas.ports(containers.list(Labels.role(ctx, Labels.SERVER)).stream()
                    .filter(b -> !Labels.isThisRun(ctx, b) && b.running()).toList());
            new CaddyProxy(ctx).ensure(serving, LocalSettings.innerDeadline(ctx));
        }
        for (Containers.Box b : boxes) {
            if (!b.running()) {
                containers.start(b.id());
                ctx.log("started " + b.name() + " on port " + b.label(Labels.PORT));
            }
        }
        return Outputs.of("image", ctx.outputsOf(dev.slipway.core.target.StepName.BUILD).flatMap(o -> o.get("image")).orElse(image),
                "imageId", image,
                "containers", String.join(",", boxes.stream().map(Containers.Box::id).toList()),
                "names", StopOldStep.names(boxes),
                "replicas", String.valueOf(boxes.size()),
                "ports", String.join(",", boxes.stream().map(b -> b.label(Labels.PORT)).toList()));
    }
}
