package dev.slipway.local;

import dev.slipway.core.journal.RunKeys;
import dev.slipway.core.target.StepContext;
import java.util.Comparator;
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
    /** The run's key, unique across journals ({@link StepContext#runKey()}): what identifies a run's containers. */
    static final String RUN_KEY = "slipway.run-key";
    /** The key of the journal whose run made the container ({@link StepContext#journalKey()}). */
    static final String JOURNAL = "slipway.journal";
    /** Where that journal lives ({@link StepContext#journalLocation()}), so that another journal can name it. */
    static final String JOURNAL_AT = "slipway.journal-at";
    static final String ROLE = "slipway.role";
    static final String REPLICA = "slipway.replica";
    static final String PORT = "slipway.port";
    static final String SERVER = "server";
    static final String MIGRATE = "migrate";
    /** The migration container the preflight runs against a scratch database; removed when the preflight ends. */
    static final String PREFLIGHT = "preflight";

    /**
     * Run keys oldest first. Keys are time-ordered; legacy keys ({@code <run>.<journal key>}, or a bare run number on
     * containers older still) come before every key and among themselves by run number.
     */
    static final Comparator<String> BY_AGE = Comparator.comparing(RunKeys::isKey)
            .thenComparingLong(Labels::legacyRun).thenComparing(Comparator.naturalOrder());

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

    /** The filter for containers of {@code role} made by the run with key {@code runKey}. */
    static Map<String, String> run(StepContext ctx, String role, String runKey) {
        Map<String, String> m = new LinkedHashMap<>(role(ctx, role));
        m.put(RUN_KEY, runKey);
        return m;
    }

    /**
     * Labels of a container of {@code role} for run {@code runId} (key {@code runKey}) deploying {@code commit}, made by
     * the journal of {@code ctx} (which also labels the previous release's replicas it recreates: it owns them now).
     */
    static Map<String, String> of(StepContext ctx, String role, long runId, String runKey, String commit) {
        Map<String, String> m = new LinkedHashMap<>(run(ctx, role, runKey));
        m.put(RUN, String.valueOf(runId));
        m.put(COMMIT, commit);
        m.put(JOURNAL, ctx.journalKey());
        m.put(JOURNAL_AT, ctx.journalLocation());
        return m;
    }

    /** {@code <app>-<stage>-<runKey>-<suffix>} (a legacy key's dot as a dash): unique across journals. */
    static String name(StepContext ctx, String runKey, String suffix) {
        return ctx.spec().app() + "-" + ctx.stage().name() + "-" + runKey.replace('.', '-') + "-" + suffix;
    }

    /** The run key a container carries (its run number for containers labelled before keys existed). */
    static String keyOf(Containers.Box box) {
        String key = box.label(RUN_KEY);
        return key.isEmpty() ? box.label(RUN) : key;
    }

    /** Whether the container was made by the run in {@code ctx}, not by a run of the same number in another journal. */
    static boolean isThisRun(StepContext ctx, Containers.Box box) {
        return ctx.runKey().equals(keyOf(box));
    }

    private static long legacyRun(String key) {
        if (RunKeys.isKey(key)) {
            return 0;
        }
        int dot = key.indexOf('.');
        try {
            return Long.parseLong(dot < 0 ? key : key.substring(0, dot));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
