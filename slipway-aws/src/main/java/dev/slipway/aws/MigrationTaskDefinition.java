package dev.slipway.aws;

import dev.slipway.core.target.StepContext;
import java.util.List;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.HealthCheck;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

/**
 * The migration's own task definition: the new service revision as registered, in family {@code <family>-migrate},
 * with the app container's {@code entryPoint} set to {@code migrations.command} and its {@code command} empty. So the
 * command is the complete argv, replacing the image's ENTRYPOINT and CMD, as on the local target; a containerOverride
 * could only replace CMD (ECS has no entryPoint override), which the image's ENTRYPOINT would then prefix. Its own
 * family leaves the service's family (and the revision the service runs) untouched.
 */
final class MigrationTaskDefinition {
    static final String FAMILY_SUFFIX = "-migrate";

    private MigrationTaskDefinition() {
    }

    /** The argv the migration runs, as slipway.yml gives it. */
    static List<String> argv(StepContext ctx) {
        // EcsTargetProvider.check refuses references here (a task definition is readable); resolving unescapes $${
        List<dev.slipway.core.spec.ConfigValue> argv = ctx.spec().migrations().argv();
        return java.util.stream.IntStream.range(0, argv.size())
                .mapToObj(i -> ctx.resolve(argv.get(i), dev.slipway.core.spec.MigrationsSpec.path(i))).toList();
    }

    static String family(String serviceFamily) {
        return serviceFamily + FAMILY_SUFFIX;
    }

    /** {@code service} (the rendered registration of the new revision) turned into the migration's registration. */
    static RegisterTaskDefinitionRequest of(RegisterTaskDefinitionRequest service, String container, List<String> argv) {
        List<ContainerDefinition> containers = service.containerDefinitions().stream()
                .map(c -> c.name().equals(container) ? migrating(c, argv) : c).toList();
        return service.toBuilder().family(family(service.family())).containerDefinitions(containers).build();
    }

    /**
     * The app container running {@code argv}; without its health check, which probes a server the migration is not, and
     * without the labels that make a Prometheus ECS discovery scrape it (a migration serves no metrics).
     */
    private static ContainerDefinition migrating(ContainerDefinition app, List<String> argv) {
        java.util.Map<String, String> labels = new java.util.LinkedHashMap<>(app.dockerLabels());
        labels.keySet().removeIf(k -> k.startsWith(ScrapeLabels.EXPORTER_PREFIX));
        return app.toBuilder().entryPoint(argv).command(List.of()).healthCheck((HealthCheck) null).dockerLabels(labels).build();
    }
}
