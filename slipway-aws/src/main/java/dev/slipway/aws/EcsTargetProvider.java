package dev.slipway.aws;

import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.Target;
import dev.slipway.core.target.TargetProvider;
import dev.slipway.images.ImageEngine;
import dev.slipway.images.ImageEngines;
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

    @Override
    public Target create(SlipwaySpec spec, StageSpec stage) {
        if (stage.ecs() == null) {
            throw new IllegalStateException("stage " + stage.name() + " has target ecs but no ecs settings (bug in validation)");
        }
        return new EcsTarget(EcsSettings.of(stage.ecs()), AwsClients.create(stage.ecs()), lazy(ImageEngines::fromEnvironment));
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
