package dev.slipway.aws;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Checks that the service is stable on the new revision (its rollout is COMPLETED and every task runs), then removes
 * the stop-old record from the service's tags: from here on the run can no longer need it.
 */
final class VerifyStep {
    private final EcsService service;
    private final Rollout rollout;

    VerifyStep(EcsService service, Rollout rollout) {
        this.service = service;
        this.rollout = rollout;
    }

    Outputs run(StepContext ctx) {
        Outputs deployed = ctx.outputsOf(StepName.DEPLOY).orElseThrow();
        String taskDefinition = deployed.require("taskDefinition");
        int count = Integer.parseInt(deployed.require("desiredCount"));
        Service s = rollout.await(ctx, taskDefinition, count, "verification of " + taskDefinition + " on " + service.where());
        service.untag(s.serviceArn(), StoppedService.TAG_KEYS);
        return Outputs.of("runningCount", String.valueOf(s.runningCount()), "taskDefinition", taskDefinition);
    }
}
