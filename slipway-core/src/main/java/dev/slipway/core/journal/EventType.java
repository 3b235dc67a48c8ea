package dev.slipway.core.journal;

/** What a journal event records. The journal is append-only; a run's state is derived from its events. */
public enum EventType {
    RUN_QUEUED,
    RUN_STARTED,
    RUN_RESUMED,
    STEP_STARTED,
    STEP_SUCCEEDED,
    STEP_FAILED,
    STEP_RETRYING,
    APPROVAL_REQUESTED,
    APPROVED,
    RUN_INTERRUPTED,
    COMPENSATION_STARTED,
    ROLLED_BACK,
    COMPENSATION_FAILED,
    RUN_SUCCEEDED,
    RUN_FAILED,
    RUN_SUPERSEDED;

    /** Whether this event ends a run. */
    public boolean isTerminal() {
        return this == ROLLED_BACK || this == COMPENSATION_FAILED || this == RUN_SUCCEEDED || this == RUN_FAILED
                || this == RUN_SUPERSEDED;
    }
}
