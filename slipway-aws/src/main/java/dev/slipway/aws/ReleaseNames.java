package dev.slipway.aws;

import dev.slipway.core.target.TargetException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * How the ecs target names a release in stop-old's {@code previous} and compensation's {@code restored}: the run key
 * its task definition revision was registered with, else (a revision Slipway did not register) {@code family:revision};
 * {@code none} when the service ran no task, since then nothing served.
 */
final class ReleaseNames {
    static final String NONE = "none";
    private final EcsClient ecs;

    ReleaseNames(EcsClient ecs) {
        this.ecs = ecs;
    }

    String of(String taskDefinition, int desiredCount) {
        if (desiredCount <= 0 || taskDefinition == null || taskDefinition.isBlank()) {
            return NONE;
        }
        try {
            return AwsCalls.call("DescribeTaskDefinition " + taskDefinition, () -> ecs.describeTaskDefinition(b -> b
                            .taskDefinition(taskDefinition).include(TaskDefinitionField.TAGS))).tags().stream()
                    .filter(t -> RunTags.RUN_KEY.equals(t.key())).map(t -> t.value()).findFirst()
                    .orElse(Rollout.shortName(taskDefinition));
        } catch (TargetException e) {
            if (e.isTransient()) {
                throw e;
            }
            return Rollout.shortName(taskDefinition); // its tags cannot be read: the revision still names it
        }
    }
}
