package dev.slipway.aws;

import dev.slipway.core.target.StepContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tags on everything a run makes in AWS (snapshots, migration tasks, task definition revisions). The run key is
 * what identifies the run: run numbers restart in a new journal, keys never repeat, so work is adopted only by key.
 */
final class RunTags {
    static final String APP = "slipway:app";
    static final String STAGE = "slipway:stage";
    static final String COMMIT = "slipway:commit";
    /** The run's number in its journal: for people reading the console, never to match on. */
    static final String RUN = "slipway:run";
    static final String RUN_KEY = "slipway:run-key";

    private RunTags() {
    }

    static Map<String, String> of(StepContext ctx) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(STAGE, ctx.stage().name());
        tags.put(APP, ctx.spec().app());
        tags.put(COMMIT, ctx.commit());
        tags.put(RUN, String.valueOf(ctx.runId()));
        tags.put(RUN_KEY, ctx.runKey());
        return tags;
    }
}
