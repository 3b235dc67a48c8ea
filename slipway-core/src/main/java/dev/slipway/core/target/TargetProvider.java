package dev.slipway.core.target;

import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import java.util.List;

/**
 * Makes the {@link Target} for stages whose {@code target:} is {@link #type()}. Providers are found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.slipway.core.target.TargetProvider}), so core never
 * imports one and a stage's implementation is chosen once, by name.
 */
public interface TargetProvider {
    /**
     * Something wrong with what a stage's target settings name, found by {@link #check}.
     *
     * @param path    where in slipway.yml it comes from ({@code stages.production.ecs.container})
     * @param message what is wrong and what to do about it
     * @param warning true when a deploy can still work (the user should hear of it, nothing is refused)
     */
    record Finding(String path, String message, boolean warning) {
        @Override
        public String toString() {
            return path + ": " + message;
        }
    }

    /** The {@code target:} value this provider serves, e.g. {@code local} or {@code ecs}. */
    String type();

    /** A target for {@code stage}; may open clients, must not change anything yet. */
    Target create(SlipwaySpec spec, StageSpec stage);

    /**
     * Checks what {@code stage}'s target settings name on this machine (files beside slipway.yml, say), without the
     * network and without changing anything, so that {@code validate}, {@code plan} and {@code deploy} refuse a
     * mistake before anything is built. Every problem at once; none is {@link Finding#warning()} unless a deploy can
     * still succeed with it.
     */
    default List<Finding> check(SlipwaySpec spec, StageSpec stage) {
        return List.of();
    }
}
