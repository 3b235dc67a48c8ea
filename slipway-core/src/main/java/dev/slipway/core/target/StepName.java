package dev.slipway.core.target;

import java.util.Arrays;

/**
 * The steps of a run, in the stop-first order; an online run moves {@link #STOP_OLD} after {@link #VERIFY}.
 * {@link #COMPENSATE} only runs when a step that changes the stage fails.
 */
public enum StepName {
    BUILD("build"),
    /**
     * Instead of {@link #BUILD} in a stage with {@code promote-from}: the target is given the image another stage
     * verified ({@link StepContext#requestedImage()}) and builds nothing; its outputs stand for the build's.
     */
    PROMOTE("promote"),
    SNAPSHOT("snapshot"),
    APPROVAL("approval"),
    /** The migrations run on a scratch restore of the snapshot, before anything stops (targets that can). */
    PREFLIGHT("preflight"),
    /** The engine classifies the pending migrations and picks the strategy; journaled so a resumed run keeps it. */
    CLASSIFY("classify"),
    STOP_OLD("stop-old"),
    MIGRATE("migrate"),
    DEPLOY("deploy"),
    VERIFY("verify"),
    COMPENSATE("compensate"),
    /** The one step of a {@code snapshots restore} run. */
    RESTORE("restore");

    private final String id;

    StepName(String id) {
        this.id = id;
    }

    /** The name used in the journal, logs and JSON output. */
    public String id() {
        return id;
    }

    /** True for steps after which the stage has changed, so a failure must be compensated. */
    public boolean changesStage() {
        return this == STOP_OLD || this == MIGRATE || this == DEPLOY || this == VERIFY;
    }

    public static StepName fromId(String id) {
        return Arrays.stream(values()).filter(s -> s.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown step '" + id + "'"));
    }

    @Override
    public String toString() {
        return id;
    }
}
