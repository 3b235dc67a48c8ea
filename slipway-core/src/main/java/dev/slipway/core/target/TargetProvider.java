package dev.slipway.core.target;

import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;

/**
 * Makes the {@link Target} for stages whose {@code target:} is {@link #type()}. Providers are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.slipway.core.target.TargetProvider}), so core never
 * imports one and a stage's implementation is chosen once, by name.
 */
public interface TargetProvider {
    /** The {@code target:} value this provider serves, e.g. {@code local} or {@code ecs}. */
    String type();

    /** A target for {@code stage}; may open clients, must not change anything yet. */
    Target create(SlipwaySpec spec, StageSpec stage);
}
