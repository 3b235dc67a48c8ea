package dev.slipway.core.target;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;

/**
 * A step failure reported by a target. Mark it transient only when the same call may succeed if repeated
 * (throttling, a 5xx, a connection reset); the engine retries those with backoff and fails at once on the rest.
 */
public final class TargetException extends SlipwayException {
    private static final long serialVersionUID = 1L;
    private final boolean transientFailure;

    private TargetException(String message, boolean transientFailure, Throwable cause) {
        super(ErrorCode.TARGET, message, cause);
        this.transientFailure = transientFailure;
    }

    /** A failure that repeating will not fix; the message says what failed and, where known, what to do. */
    public static TargetException permanent(String message) {
        return new TargetException(message, false, null);
    }

    public static TargetException permanent(String message, Throwable cause) {
        return new TargetException(message, false, cause);
    }

    /** A failure worth retrying with backoff. */
    public static TargetException transientFailure(String message, Throwable cause) {
        return new TargetException(message, true, cause);
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
