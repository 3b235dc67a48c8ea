package dev.slipway.aws;

import dev.slipway.core.spec.Strategy;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code UpdateService} to the new revision with the count that ran before, waited for until its rollout completes.
 * Stop-first: the service is at 0 (stop-old recorded what ran). Online: the old tasks still serve; deploy records them
 * first (as stop-old would, for compensation) and rolls the new revision with minimum healthy 100 % and maximum 200 %,
 * so ECS starts the new tasks before it stops any old one: the service never drops below its count.
 */
final class DeployStep {
    private final EcsService service;
    private final Rollout rollout;
    private final StopOldStep stopOld;

    DeployStep(EcsService service, Rollout rollout, StopOldStep stopOld) {
        this.service = service;
        this.rollout = rollout;
        this.stopOld = stopOld;
    }

    Outputs run(StepContext ctx) {
        String taskDefinition = ctx.outputsOf(StepName.BUILD).orElseThrow().require("taskDefinition");
        boolean online = ctx.strategy() == Strategy.ONLINE;
        Map<String, String> out = new LinkedHashMap<>();
        software.amazon.awssdk.services.ecs.model.Service now = online ? service.describe() : null;
        if (online) {
            out.putAll(stopOld.record(ctx, now));
        }
        StoppedService before = (online ? StoppedService.fromOutputs(new Outputs(out))
                : ctx.outputsOf(StepName.STOP_OLD).flatMap(StoppedService::fromOutputs))
                .orElseThrow(() -> new IllegalStateException("deploy without stop-old outputs (bug)"));
        int count = count(ctx, before);
        if (online) {
            service.rollingUpdate(now, taskDefinition, count);
            ctx.log("online: rolling " + service.where() + " to " + taskDefinition + " x" + count + " (minimum healthy "
                    + EcsService.MIN_HEALTHY + " %, maximum " + EcsService.MAX_PERCENT + " %) while the old tasks serve; "
                    + "waiting for the rollout");
        } else {
            service.update(taskDefinition, count);
            ctx.log("updated " + service.where() + " to " + taskDefinition + " x" + count + "; waiting for the rollout");
        }
        rollout.await(ctx, taskDefinition, count, "deployment of " + taskDefinition + " to " + service.where());
        out.put("taskDefinition", taskDefinition);
        out.put("desiredCount", String.valueOf(count));
        return new Outputs(out);
    }

    /** The count that ran before; the stage's replicas when nothing ran (a new service). */
    static int count(StepContext ctx, StoppedService before) {
        return before.desiredCount() > 0 ? before.desiredCount() : ctx.stage().replicas();
    }
}
