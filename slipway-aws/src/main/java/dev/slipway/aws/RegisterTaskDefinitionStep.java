package dev.slipway.aws;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionResponse;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.TaskDefinition;
import software.amazon.awssdk.services.ecs.model.TaskDefinitionField;

/**
 * Registers a new revision of the template's family with the built image digest, {@code STAGE} and the stage's
 * environment and, when migrations are configured, the run's {@link MigrationTaskDefinition} from it. Changes nothing
 * that runs, so it happens with the build, before stop-old; a repeated attempt of the same run reuses the revisions it
 * registered (found by run key, never another run's).
 */
final class RegisterTaskDefinitionStep {
    private final EcsClient ecs;
    private final EcsSettings settings;

    RegisterTaskDefinitionStep(EcsClient ecs, EcsSettings settings) {
        this.ecs = ecs;
        this.settings = settings;
    }

    Outputs run(StepContext ctx, String image) {
        RegisterTaskDefinitionRequest request = render(ctx, image);
        TaskDefinition registered = registerOnce(ctx, request);
        ctx.log("task definition " + registered.taskDefinitionArn() + " (container " + settings.spec().container()
                + " → " + image + ")");
        Map<String, String> out = new LinkedHashMap<>();
        out.put("taskDefinition", registered.taskDefinitionArn());
        out.put("family", registered.family());
        out.put("revision", String.valueOf(registered.revision()));
        if (ctx.spec().migrations().enabled()) {
            out.put("migrationTaskDefinition", migration(ctx, request));
        }
        return new Outputs(out);
    }

    /** The run's migration revision for {@code image}, registered unless this run already did. */
    String migration(StepContext ctx, String image) {
        return migration(ctx, render(ctx, image));
    }

    private String migration(StepContext ctx, RegisterTaskDefinitionRequest service) {
        List<String> argv = MigrationTaskDefinition.argv(ctx);
        TaskDefinition registered = registerOnce(ctx, MigrationTaskDefinition.of(service, settings.spec().container(), argv));
        ctx.log("migration task definition " + registered.taskDefinitionArn() + " (container " + settings.spec().container()
                + " runs " + argv + " as its entryPoint, in place of the image's ENTRYPOINT and CMD)");
        return registered.taskDefinitionArn();
    }

    private RegisterTaskDefinitionRequest render(StepContext ctx, String image) {
        TaskDefinitionTemplate template = TaskDefinitionTemplate.read(
                ctx.spec().baseDir().resolve(settings.spec().taskDefinition()));
        return template.render(settings.spec().container(), image, TaskEnvironment.of(ctx), RunTags.of(ctx), ScrapeLabels.of(ctx));
    }

    private TaskDefinition registerOnce(StepContext ctx, RegisterTaskDefinitionRequest request) {
        return earlierAttempt(ctx, request).orElseGet(() -> AwsCalls.call("RegisterTaskDefinition of family "
                + request.family(), () -> ecs.registerTaskDefinition(request)).taskDefinition());
    }

    /**
     * The family's latest revision, if this run (its key, not its number) already registered it with the same app
     * container (image, entryPoint, command).
     */
    private Optional<TaskDefinition> earlierAttempt(StepContext ctx, RegisterTaskDefinitionRequest request) {
        String family = request.family();
        DescribeTaskDefinitionResponse latest;
        try {
            latest = ecs.describeTaskDefinition(b -> b.taskDefinition(family).include(TaskDefinitionField.TAGS));
        } catch (AwsServiceException e) {
            if (e.statusCode() == 400 && !e.isThrottlingException()) {
                return Optional.empty(); // no revision of the family yet
            }
            throw AwsCalls.translate("DescribeTaskDefinition of family " + family, e);
        }
        boolean ours = latest.tags().stream().anyMatch(t -> t.key().equals(RunTags.RUN_KEY) && t.value().equals(ctx.runKey()))
                && sameApp(app(request.containerDefinitions()), app(latest.taskDefinition().containerDefinitions()));
        return ours ? Optional.of(latest.taskDefinition()) : Optional.empty();
    }

    private Optional<ContainerDefinition> app(List<ContainerDefinition> containers) {
        return containers.stream().filter(c -> settings.spec().container().equals(c.name())).findFirst();
    }

    private static boolean sameApp(Optional<ContainerDefinition> wanted, Optional<ContainerDefinition> found) {
        return wanted.isPresent() && found.isPresent() && Objects.equals(wanted.get().image(), found.get().image())
                && List.copyOf(wanted.get().entryPoint()).equals(List.copyOf(found.get().entryPoint()))
                && List.copyOf(wanted.get().command()).equals(List.copyOf(found.get().command()));
    }
}
