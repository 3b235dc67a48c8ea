package dev.slipway.core.target;

import java.util.Arrays;

/** The steps of a run, in pipeline order; {@link #COMPENSATE} only runs when a step after {@link #STOP_OLD} fails. */
public enum StepName {
    BUILD("build"),
    SNAPSHOT("snapshot"),
    APPROVAL("approval"),
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
