package dev.slipway.aws;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;

/** {@code UpdateService} to the new revision with the count that ran before, waited for until its rollout completes. */
final class DeployStep {
    private final EcsService service;
    private final Rollout rollout;

    DeployStep(EcsService service, Rollout rollout) {
        this.service = service;
        this.rollout = rollout;
    }

    Outputs run(StepContext ctx) {
        String taskDefinition = ctx.outputsOf(StepName.BUILD).orElseThrow().require("taskDefinition");
        StoppedService before = ctx.outputsOf(StepName.STOP_OLD).flatMap(StoppedService::fromOutputs)
                .orElseThrow(() -> new IllegalStateException("deploy without stop-old outputs (bug)"));
        int count = count(ctx, before);
        service.update(taskDefinition, count);
        ctx.log("updated " + service.where() + " to " + taskDefinition + " x" + count + "; waiting for the rollout");
        rollout.await(ctx, taskDefinition, count, "deployment of " + taskDefinition + " to " + service.where());
        return Outputs.of("taskDefinition", taskDefinition, "desiredCount", String.valueOf(count));
    }

    /** The count that ran before; the stage's replicas when nothing ran (a new service). */
    static int count(StepContext ctx, StoppedService before) {
        return before.desiredCount() > 0 ? before.desiredCount() : ctx.stage().replicas();
    }
}
