package dev.slipway.github;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Whether an answer from GitHub should be retried, and after how long. */
final class RetryAfter {
    private RetryAfter() {
    }

    /** Empty when the answer is final; else the wait: the one GitHub asks for, or {@code backoff}. */
    static Optional<Duration> of(HttpResponse<?> r, Clock clock, Duration backoff) {
        int status = r.statusCode();
        Optional<Duration> asked = header(r, "retry-after").flatMap(v -> parse(v, clock));
        if (status >= 500) {
            return Optional.of(asked.orElse(backoff));
        }
        if (status != 403 && status != 429) {
            return Optional.empty();
        }
        if (asked.isPresent()) {
            return asked;
        }
        if (header(r, "x-ratelimit-remaining").filter("0"::equals).isPresent()) {
            Optional<Duration> untilReset = header(r, "x-ratelimit-reset").flatMap(v -> untilEpoch(v, clock));
            return Optional.of(untilReset.orElse(backoff));
        }
        // a 403 without rate-limit headers is a permission answer; a bare 429 is still a rate limit
        return status == 429 ? Optional.of(backoff) : Optional.empty();
    }

    private static Optional<String> header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).map(String::trim);
    }

    private static Optional<Duration> parse(String value, Clock clock) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(nonNegative(Duration.between(clock.instant(), at)));
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    private static Optional<Duration> untilEpoch(String value, Clock clock) {
        try {
            Instant reset = Instant.ofEpochSecond(Long.parseLong(value));
            // one second more: the reset time is rounded down to the second
            return Optional.of(nonNegative(Duration.between(clock.instant(), reset)).plusSeconds(1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
