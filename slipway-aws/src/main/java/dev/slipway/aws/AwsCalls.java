package dev.slipway.aws;

import dev.slipway.core.target.TargetException;
import java.io.InterruptedIOException;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * Turns SDK failures into {@link TargetException}s: throttling, a 5xx and a lost connection are transient (the SDK
 * already retried them), everything else is permanent, missing credentials too. Messages say which call on which resource failed.
 */
final class AwsCalls {
    private AwsCalls() {
    }

    /** Runs {@code call}; {@code what} names the call and its resource ("UpdateService of service web in cluster c"). */
    static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            throw translate(what, e);
        } catch (AbortedException e) {
            throw interrupted(what, e);
        } catch (SdkClientException e) {
            if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedIOException) {
                throw interrupted(what, e);
            }
            if (missingCredentials(e)) {
                throw TargetException.permanent(AwsClients.missingCredentials(what, e), e);
            }
            throw TargetException.transientFailure(what + " could not reach AWS: " + e.getMessage()
                    + "; check the network and ecs.region/ecs.endpoint", e);
        }
    }

    /** The SDK names no type for it: its credential chain says "Unable to load credentials from any of the providers". */
    private static boolean missingCredentials(SdkClientException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().startsWith("Unable to load credentials")) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code call}; empty when AWS answers {@code missing} (its "not found" exception). */
    static <T> java.util.Optional<T> callOrMissing(String what, Supplier<T> call, Class<? extends AwsServiceException> missing) {
        try {
            return java.util.Optional.of(call(what, call));
        } catch (TargetException e) {
            if (missing.isInstance(e.getCause())) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    static TargetException translate(String what, AwsServiceException e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        String message = e.awsErrorDetails() == null || e.awsErrorDetails().errorMessage() == null
                ? e.getMessage() : e.awsErrorDetails().errorMessage();
        String text = what + " failed: " + code + ": " + message + " (HTTP " + e.statusCode() + ")";
        if (e.isThrottlingException() || e.statusCode() >= 500) {
            return TargetException.transientFailure(text, e);
        }
        if (code != null && (code.contains("AccessDenied") || code.contains("UnauthorizedOperation")
                || code.equals("ExpiredTokenException") || code.contains("InvalidClientToken"))) {
            return TargetException.permanent(text + "; the credentials Slipway runs with lack a permission or have "
                    + "expired: compare the role's policy with the one in docs/aws.md", e);
        }
        return TargetException.permanent(text, e);
    }

    /** The AWS error code of {@code e}, or "" (used to recognise "not found" answers). */
    static String code(AwsServiceException e) {
        return e.awsErrorDetails() == null || e.awsErrorDetails().errorCode() == null ? "" : e.awsErrorDetails().errorCode();
    }

    private static TargetException interrupted(String what, Exception e) {
        Thread.currentThread().interrupt();
        return TargetException.permanent(what + " was interrupted (the run was cancelled or timed out)", e);
    }
}
