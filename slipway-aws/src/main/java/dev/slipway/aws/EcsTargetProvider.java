package dev.slipway.aws;

import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.Target;
import dev.slipway.core.target.TargetException;
import dev.slipway.core.target.TargetProvider;
import dev.slipway.images.ImageEngine;
import dev.slipway.images.ImageEngines;
import java.util.List;
import java.util.function.Supplier;

/**
 * Serves stages with {@code target: ecs}: AWS SDK v2 clients on the default credential chain (so credentials from
 * GitHub's OIDC role work as they are), region and endpoint from {@code ecs:}. The container engine is only opened
 * when a build needs it, so {@code plan} and {@code snapshots} work without one.
 */
public final class EcsTargetProvider implements TargetProvider {
    @Override
    public String type() {
        return "ecs";
    }

    /** Refuses (exit 2) when the default credential chain finds no credentials: no AWS call could succeed. */
    @Override
    public Target create(SlipwaySpec spec, StageSpec stage) {
        if (stage.ecs() == null) {
            throw new IllegalStateException("stage " + stage.name() + " has target ecs but no ecs settings (bug in validation)");
        }
        AwsClients aws = AwsClients.create(stage.ecs());
        aws.requireCredentials("stages." + stage.name());
        return new EcsTarget(EcsSettings.of(stage.ecs()), aws, lazy(ImageEngines::fromEnvironment));
    }

    /** The task definition template against {@code ecs.container} and the stage's secrets. */
    @Override
    public List<Finding> check(SlipwaySpec spec, StageSpec stage) {
        if (stage.ecs() == null) {
            return List.of();
        }
        List<Finding> refs = new java.util.ArrayList<>();
        List<dev.slipway.core.spec.ConfigValue> argv = spec.migrations() == null ? List.of() : spec.migrations().argv();
        for (int i = 0; i < argv.size(); i++) {
            if (argv.get(i).isSecret()) {
                refs.add(new Finding(dev.slipway.core.spec.MigrationsSpec.path(i), "must not reference ${env:…} on the ecs "
                        + "target (stage " + stage.name() + "): the argv becomes the migration task definition's entryPoint,"
                        + " which anyone who may describe task definitions can read; the migration task has the container's"
                        + " environment and secrets, so read the value from there", false));
            }
        }
        if (!refs.isEmpty()) {
            return refs;
        }
        String path = "stages." + stage.name() + ".ecs.task-definition";
        try {
            TaskDefinitionTemplate template = TaskDefinitionTemplate.read(spec.baseDir().resolve(stage.ecs().taskDefinition()));
            return template.check(stage.ecs().container(), TaskEnvironment.secretsOf(spec, stage)).stream()
                    .map(p -> new Finding(path, p.message(), p.warning())).toList();
        } catch (TargetException e) {
            return List.of(new Finding(path, e.getMessage(), false));
        }
    }

    private static Supplier<ImageEngine> lazy(Supplier<ImageEngine> make) {
        return new Supplier<>() {
            private ImageEngine engine;

            @Override
            public synchronized ImageEngine get() {
                if (engine == null) {
                    engine = make.get();
                }
                return engine;
            }
        };
    }
}
