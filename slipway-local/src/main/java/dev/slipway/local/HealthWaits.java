package dev.slipway.local;

import dev.slipway.core.target.StepContext;

/** Makes a {@link HealthWait} on a step's clock. */
@FunctionalInterface
interface HealthWaits {
    HealthWait create(StepContext ctx);
}
