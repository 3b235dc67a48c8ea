package dev.slipway.local;

import dev.slipway.core.target.StepContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels on every container Slipway makes. Slipway lists containers only through these, so it never touches a
 * container it did not make, nor one of another app or stage.
 */
final class Labels {
    static final String APP = "slipway.app";
    static final String STAGE = "slipway.stage";
    static final String COMMIT = "slipway.commit";
    static final String RUN = "slipway.run";
    static final String ROLE = "slipway.role";
    static final String REPLICA = "slipway.replica";
    static final String PORT = "slipway.port";
    static final String SERVER = "server";
    static final String MIGRATE = "migrate";

    private Labels() {
    }

    /** The filter for everything of the stage in {@code ctx}. */
    static Map<String, String> stage(StepContext ctx) {
        return Map.of(APP, ctx.spec().app(), STAGE, ctx.stage().name());
    }

    /** The filter for containers of {@code role} on the stage of {@code ctx}. */
    static Map<String, String> role(StepContext ctx, String role) {
        Map<String, String> m = new LinkedHashMap<>(stage(ctx));
        m.put(ROLE, role);
        return m;
    }

    /** The filter for containers of {@code role} made by run {@code runId}. */
    static Map<String, String> run(StepContext ctx, String role, long runId) {
        Map<String, String> m = new LinkedHashMap<>(role(ctx, role));
        m.put(RUN, String.valueOf(runId));
        return m;
    }

    /** Labels of a container of {@code role} for run {@code runId} deploying {@code commit}. */
    static Map<String, String> of(StepContext ctx, String role, long runId, String commit) {
        Map<String, String> m = new LinkedHashMap<>(run(ctx, role, runId));
        m.put(COMMIT, commit);
        return m;
    }

    /** {@code <app>-<stage>-<runId>-<suffix>}, the container name. */
    static String name(StepContext ctx, long runId, String suffix) {
        return ctx.spec().app() + "-" + ctx.stage().name() + "-" + runId + "-" + suffix;
    }
}
