package dev.slipway.core.engine;

import dev.slipway.core.target.StepName;

/** A step of a run failed for good (after any retries); carries the step and a masked reason. */
final class StepFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient StepName step;

    StepFailure(StepName step, String reason, Throwable cause) {
        super(reason, cause);
        this.step = step;
    }

    StepName step() {
        return step;
    }
}
