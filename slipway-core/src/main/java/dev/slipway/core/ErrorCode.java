package dev.slipway.core;

/** Every failure Slipway reports carries one of these; each maps to the CLI exit code a user sees. */
public enum ErrorCode {
    /** A config file, argument or request was wrong; nothing was changed. */
    BAD_CONFIG(2),
    /** A command was used wrongly (unknown run, unknown stage, missing argument). */
    BAD_USAGE(2),
    /** The journal store could not be opened or migrated. */
    STATE_STORE(2),
    /** A run failed; nothing was changed or the previous version was brought back. */
    RUN_FAILED(1),
    /** A run failed and could not be brought back: a person must look. */
    NEEDS_ATTENTION(3),
    /** A target step failed. Whether it is retried depends on {@link dev.slipway.core.target.TargetException#isTransient()}. */
    TARGET(1);

    private final int exitCode;

    ErrorCode(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
