package dev.slipway.core;

/** The one unchecked root of every error Slipway reports to a user. Messages name identifiers and say what to do next. */
public class SlipwayException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public SlipwayException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public SlipwayException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }

    public int exitCode() {
        return code.exitCode();
    }
}
