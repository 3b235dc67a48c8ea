package dev.slipway.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.engine.Backoff;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GithubApiTest {
    private static final String DEPLOYMENTS = "/repos/" + FakeGithub.REPO + "/deployments";
    private final FakeGithub github = new FakeGithub();
    private final Fixtures.RecordingSleeper sleeper = new Fixtures.RecordingSleeper();
    private final GithubApi api = Fixtures.api(github.url(), sleeper);

    GithubApiTest() throws IOException {
    }

    @AfterEach
    void stop() {
        GithubRequests.assertConform(github.requests());
        github.close();
    }

    private static Map<String, Object> deployment() {
        return Map.of("ref", "abc123", "environment", "staging", "auto_merge", false, "required_contexts", List.of());
    }

    @Test
    void post_twoServerErrorsThen201_createsTheDeployment() {
        github.fault("POST", DEPLOYMENTS, 500, Map.of(), 2);

        GithubApi.Response r = api.post(DEPLOYMENTS, deployment());

        assertThat(r.status()).isEqualTo(201);
        assertThat(github.deployments).hasSize(1);
        assertThat(github.requests()).hasSize(3);
        assertThat(sleeper.waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void post_rateLimitedWithRetryAfter_waitsAsLongAsAsked() {
        github.fault("POST", DEPLOYMENTS, 403, Map.of("Retry-After", "7", "x-ratelimit-remaining", "0"), 1);

        assertThat(api.post(DEPLOYMENTS, deployment()).status()).isEqualTo(201);

        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void post_429WithRetryAfter_waitsAsLongAsAsked() {
        github.fault("POST", DEPLOYMENTS, 429, Map.of("Retry-After", "3"), 1);
        assertThat(api.post(DEPLOYMENTS, deployment()).status()).isEqualTo(201);
        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(3));
    }

    @Test
    void post_primaryRateLimitExhausted_waitsUntilTheReset() {
        Instant now = Instant.parse("2026-01-01T10:00:00Z");
        GithubApi fixedClock = new GithubApi(github.url(), "t0ken", HttpClient.newHttpClient(),
                new Backoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1), 4), Duration.ofSeconds(60), sleeper,
                Clock.fixed(now, ZoneOffset.UTC));
        github.fault("POST", DEPLOYMENTS, 403, Map.of("x-ratelimit-remaining", "0",
                "x-ratelimit-reset", String.valueOf(now.getEpochSecond() + 30)), 1);

        assertThat(fixedClock.post(DEPLOYMENTS, deployment()).status()).isEqualTo(201);

        assertThat(sleeper.waits).containsExactly(Duration.ofSeconds(31));
    }

    @Test
    void post_askedToWaitLongerThanMaxWait_givesUpAsUnavailable() {
        github.fault("POST", DEPLOYMENTS, 429, Map.of("Retry-After", "3600"), 1);

        assertThatThrownBy(() -> api.post(DEPLOYMENTS, deployment())).isInstanceOf(GithubException.class)
                .hasMessageContaining("asked to wait 3600s")
                .satisfies(e -> assertThat(((GithubException) e).unavailable()).isTrue());
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void get_forbiddenWithoutRateLimitHeaders_returnsAtOnce() {
        github.branchProtectionForbidden = true;

        GithubApi.Response r = api.get("/repos/" + FakeGithub.REPO + "/branches/prod/protection");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.message()).isEqualTo("Resource not accessible by integration");
        assertThat(sleeper.waits).isEmpty();
    }

    @Test
    void post_serverErrorsEveryTime_throwsUnavailableAfterTheLastTry() {
        github.fault("POST", DEPLOYMENTS, 502, Map.of(), 10);

        assertThatThrownBy(() -> api.post(DEPLOYMENTS, deployment())).isInstanceOf(GithubException.class)
                .hasMessageContaining("failed after 4 tries (last: HTTP 502)");
        assertThat(github.requests()).hasSize(4);
    }

    @Test
    void post_nobodyListening_throwsUnavailable() throws IOException {
        GithubApi down = Fixtures.api(deadAddress(), sleeper);

        assertThatThrownBy(() -> down.post(DEPLOYMENTS, deployment())).isInstanceOf(GithubException.class)
                .satisfies(e -> assertThat(((GithubException) e).unavailable()).isTrue());
        assertThat(sleeper.waits).hasSize(3);
    }

    @Test
    void get_enterpriseServerUrl_prefixesEveryPathWithTheApiPath() {
        GithubApi ghes = Fixtures.api(URI.create(github.url() + "/api/v3/"), sleeper);

        ghes.get("/repos/" + FakeGithub.REPO + "/environments/production");

        FakeGithub.Request r = github.requests().get(0); // the stub records paths without the Enterprise prefix
        assertThat(r.path()).isEqualTo("/repos/acme/shop/environments/production");
        assertThat(github.enterpriseRequests.get()).as("requests that came under /api/v3").isEqualTo(1);
        github.forgetRequests();
    }

    @Test
    void get_anyRequest_sendsTheTokenAsBearer() {
        api.get("/repos/" + FakeGithub.REPO + "/environments/production");
        assertThat(github.requests().get(0).authorization()).isEqualTo("Bearer t0ken");
    }

    /** A loopback port nobody listens on. */
    static URI deadAddress() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
    }
}
