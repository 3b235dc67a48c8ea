package dev.slipway.core.journal;

/** A run's state, derived from its events by {@link RunView}. */
public enum RunState {
    QUEUED(false),
    RUNNING(false),
    AWAITING_APPROVAL(false),
    COMPENSATING(false),
    SUCCEEDED(true),
    /** Failed before the stage was changed: nothing to undo. */
    FAILED(true),
    /** Failed after the stage was changed; the previous version was brought back. */
    ROLLED_BACK(true),
    /** Failed and the previous version could not be brought back: a person must look. */
    NEEDS_ATTENTION(true),
    SUPERSEDED(true);

    private final boolean terminal;

    RunState(boolean terminal) {
        this.terminal = terminal;
    }

    public boolean isTerminal() {
        return terminal;
    }

    /** The CLI exit code for a run that ended in this state (DESIGN.md: 0 ok, 1 failed and rolled back, 3 needs a person). */
    public int exitCode() {
        return switch (this) {
            case SUCCEEDED, SUPERSEDED -> 0;
            case FAILED, ROLLED_BACK -> 1;
            default -> 3;
        };
    }
}
