package dev.slipway.aws;

import dev.slipway.core.spec.EcsSpec;

/**
 * How the ecs target of one stage works.
 *
 * @param spec             the stage's {@code ecs:} settings
 * @param registryOverride push images here ({@code host:port}) instead of to ECR, or null; the ECR repository is still
 *                         ensured. Tests use it because moto's ECR stores no image layers.
 * @param poller           how waits poll
 * @param logTailLines     how many of the migration's last log lines go into the run log
 */
record EcsSettings(EcsSpec spec, String registryOverride, Poller poller, int logTailLines) {
    static EcsSettings of(EcsSpec spec) {
        return new EcsSettings(spec, spec.registry(), Poller.DEFAULT, 30);
    }

    EcsSettings withRegistryOverride(String registry) {
        return new EcsSettings(spec, registry, poller, logTailLines);
    }
}
