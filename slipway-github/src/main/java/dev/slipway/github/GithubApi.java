package dev.slipway.github;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.engine.Backoff;
import dev.slipway.core.engine.Sleeper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small client of the GitHub REST API (api.github.com or Enterprise Server). Retries network errors and 5xx
 * with backoff, and rate limits (403/429) after the wait GitHub asks for ({@code Retry-After} or
 * {@code x-ratelimit-reset}); a wait longer than {@code maxWait} is not waited for. Other answers, 4xx included,
 * are returned to the caller as they are.
 */
public final class GithubApi {
    private static final Logger LOG = LoggerFactory.getLogger(GithubApi.class);
    static final Backoff DEFAULT_RETRIES = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(8), 4);
    static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(60);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: its status and its JSON body ({@link MissingNode} when it had none). */
    public record Response(int status, JsonNode body) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** GitHub's {@code message}, or the status when there is none. */
        public String message() {
            return body.path("message").asText("HTTP " + status);
        }
    }

    private final URI apiUrl;
    private final String token;
    private final HttpClient http;
    private final Backoff retries;
    private final Duration maxWait;
    private final Sleeper sleeper;
    private final Clock clock;

    public GithubApi(URI apiUrl, String token, HttpClient http, Backoff retries, Duration maxWait, Sleeper sleeper, Clock clock) {
        String base = apiUrl.toString();
        this.apiUrl = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
        this.token = token;
        this.http = http;
        this.retries = retries;
        this.maxWait = maxWait;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /** A client for {@code settings}, with real time and the default retries; the settings must hold a token. */
    public static GithubApi create(GithubSettings settings) {
        if (settings.token() == null) {
            throw new SlipwayException(ErrorCode.BAD_CONFIG, "no GitHub token: set GITHUB_TOKEN (or SLIPWAY_GITHUB_TOKEN)");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        return new GithubApi(settings.apiUrl(), settings.token(), http, DEFAULT_RETRIES, DEFAULT_MAX_WAIT, Sleeper.REAL,
                Clock.systemUTC());
    }

    /** The same client with other retry limits (a check before a deploy should give up sooner than a report). */
    public GithubApi withRetries(Backoff newRetries, Duration newMaxWait) {
        return new GithubApi(apiUrl, token, http, newRetries, newMaxWait, sleeper, clock);
    }

    public URI apiUrl() {
        return apiUrl;
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response post(String path, Object body) {
        return send("POST", path, body);
    }

    public Response put(String path, Object body) {
        return send("PUT", path, body);
    }

    /**
     * Sends one request, retrying as described above. Throws a {@link GithubException} that is
     * {@link GithubException#unavailable() unavailable} when every try failed or GitHub asked to wait too long.
     */
    public Response send(String method, String path, Object body) {
        HttpRequest request = request(method, path, body);
        String what = method + " " + path;
        for (int attempt = 1; ; attempt++) {
            Duration wait;
            String why;
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                Optional<Duration> retry = RetryAfter.of(r, clock, retries.delayAfter(attempt));
                if (retry.isEmpty()) {
                    return new Response(r.statusCode(), parse(r.body()));
                }
                wait = retry.get();
                why = "HTTP " + r.statusCode();
            } catch (IOException e) {
                wait = retries.delayAfter(attempt);
                why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw GithubException.unavailable("GitHub " + what + ": interrupted", e);
            }
            if (attempt >= retries.maxAttempts() || wait.compareTo(maxWait) > 0) {
                throw GithubException.unavailable("GitHub " + what + " failed after " + attempt + " tries (last: " + why
                        + (wait.compareTo(maxWait) > 0 ? ", asked to wait " + wait.toSeconds() + "s" : "") + ")", null);
            }
            LOG.debug("GitHub {}: {}; retrying in {} ms", what, why, wait.toMillis());
            pause(wait, what);
        }
    }

    private void pause(Duration wait, String what) {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GithubException.unavailable("GitHub " + what + ": interrupted while waiting to retry", e);
        }
    }

    private HttpRequest request(String method, String path, Object body) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("GitHub API path must start with '/': " + path + " (bug)");
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiUrl + path)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", "2022-11-28")
                .header("User-Agent", "slipway");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body == null) {
            return b.method(method, HttpRequest.BodyPublishers.noBody()).build();
        }
        return b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(write(body))).build();
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a GitHub request body (bug)", e);
        }
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }
}
