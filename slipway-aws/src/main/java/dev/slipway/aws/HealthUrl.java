package dev.slipway.aws;

import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Polls {@code ecs.health-url} with GET until it answers 2xx; at the deadline a failure with the last status or error. */
final class HealthUrl {
    /** Longest a single GET may take; shorter when the step's deadline is nearer. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SHORTEST_REQUEST = Duration.ofMillis(200);
    private static final int BODY_CHARS = 200;

    private final Probe probe;
    private final Poller poller;

    HealthUrl(Probe probe, Poller poller) {
        this.probe = probe;
        this.poller = poller;
    }

    /** What one GET got: an HTTP status and the start of the body, or status -1 and the error. */
    record Answer(int status, String detail) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        String describe() {
            if (status < 0) {
                return detail;
            }
            return "HTTP " + status + (detail == null || detail.isBlank() ? "" : " " + detail.strip());
        }
    }

    /** One GET of the URL within {@code timeout}; never throws for what the server or network did. */
    @FunctionalInterface
    interface Probe {
        Answer get(URI url, Duration timeout);
    }

    Answer await(StepContext ctx, String url) {
        URI uri = URI.create(url);
        Answer done = poller.until(ctx, () -> probe.get(uri, timeout(ctx)), Answer::ok,
                last -> TargetException.permanent("health URL " + url + " did not answer 2xx before the step's timeout; "
                        + "last answer: " + (last == null ? "none" : last.describe()) + ". Check the app's health endpoint "
                        + "and the load balancer's listener rules; raise health.timeout if the app only starts slowly."));
        ctx.log("health URL " + url + " answered " + done.describe());
        return done;
    }

    private static Duration timeout(StepContext ctx) {
        Duration left = Duration.between(ctx.clock().instant(), ctx.deadline());
        Duration t = left.compareTo(REQUEST_TIMEOUT) < 0 ? left : REQUEST_TIMEOUT;
        return t.compareTo(SHORTEST_REQUEST) < 0 ? SHORTEST_REQUEST : t;
    }

    /** The real probe: java.net.http, reading only the start of the body (a load balancer's error page can be long). */
    static Probe http(HttpClient client) {
        return (url, timeout) -> {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("User-Agent", "slipway-verify").GET().build();
            try {
                HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    String start = new String(body.readNBytes(BODY_CHARS), StandardCharsets.UTF_8);
                    return new Answer(response.statusCode(), start.replaceAll("\\s+", " "));
                }
            } catch (IOException e) {
                return new Answer(-1, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw TargetException.permanent("GET " + url + " was interrupted (the run was cancelled or timed out)", e);
            }
        };
    }
}
