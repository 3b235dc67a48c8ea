package dev.slipway.github;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;

/**
 * GitHub could not be reached, kept failing, or refused a request. {@link #unavailable()} tells an outage (network
 * error, 5xx or rate limit after every retry) from an answer that retrying will not change.
 */
public class GithubException extends SlipwayException {
    private static final long serialVersionUID = 1L;
    private final boolean unavailable;

    GithubException(String message, boolean unavailable, Throwable cause) {
        super(unavailable ? ErrorCode.TARGET : ErrorCode.BAD_CONFIG, message, cause);
        this.unavailable = unavailable;
    }

    static GithubException unavailable(String message, Throwable cause) {
        return new GithubException(message, true, cause);
    }

    static GithubException refused(String message) {
        return new GithubException(message, false, null);
    }

    /** Whether GitHub was down or rate limiting (as opposed to refusing the request). */
    public boolean unavailable() {
        return unavailable;
    }
}
