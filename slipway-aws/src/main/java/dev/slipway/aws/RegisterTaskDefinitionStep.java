package dev.slipway.aws;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * Registers a new revision of the template's family with the built image digest, {@code STAGE} and the stage's
 * environment. Changes nothing that runs, so it happens with the build, before stop-old; a repeated attempt of the
 * same run reuses the revision it registered.
 */
final class RegisterTaskDefinitionStep {
    private final EcsClient ecs;
    private final EcsSettings settings;

    RegisterTaskDefinitionStep(EcsClient ecs, EcsSettings settings) {
        this.ecs = ecs;
        this.settings = settings;
    }

    Outputs run(StepContext ctx, String image) {
        TaskDefinitionTemplate template = TaskDefinitionTemplate.read(
                ctx.spec().baseDir().resolve(settings.spec().taskDefinition()));
        Map<String, String> tags = RunTags.of(ctx);
        RegisterTaskDefinitionRequest request = template.render(settings.spec().container(), image,
                TaskEnvironment.of(ctx), tags);
        TaskDefinition registered = earlierAttempt(template.family(), tags, image).orElseGet(() -> register(request));
        ctx.log("task definition " + registered.taskDefinitionArn() + " (container " + settings.spec().container()
                + " → " + image + ")");
        return Outputs.of("taskDefinition", registered.taskDefinitionArn(), "family", registered.family(),
                "revision", String.valueOf(registered.revision()));
    }

    private TaskDefinition register(RegisterTaskDefinitionRequest request) {
        return AwsCalls.call("RegisterTaskDefinition of family " + request.family(),
                () -> ecs.registerTaskDefinition(request)).taskDefinition();
    }

    /** The family's latest revision, if this run (its key, not its number) already registered it with this image. */
    private Optional<TaskDefinition> earlierAttempt(String family, Map<String, String> tags, String image) {
        DescribeTaskDefinitionResponse latest;
        try {
            latest = ecs.describeTaskDefinition(b -> b.taskDefinition(family).include(TaskDefinitionField.TAGS));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 400 && !e.isThrottlingException()) {
                return Optional.empty(); // no revision of the family yet
            }
            throw AwsCalls.translate("DescribeTaskDefinition of family " + family, e);
        }
        boolean ours = latest.tags().stream().anyMatch(t -> t.key().equals(RunTags.RUN_KEY) && t.value().equals(tags.get(RunTags.RUN_KEY)))
                && latest.taskDefinition().containerDefinitions().stream().anyMatch(c -> image.equals(c.image()));
        return ours ? Optional.of(latest.taskDefinition()) : Optional.empty();
    }
}
