package dev.slipway.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.core.engine.Sleeper;
import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.RunKind;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GithubDeploymentReporterTest {
    private static final String LOG = "https://github.com/acme/shop/actions/runs/99";
    private static final String SITE = "https://shop.example.com";
    private final FakeGithub github = new FakeGithub();
    private final Fixtures.RecordingSleeper sleeper = new Fixtures.RecordingSleeper();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private int seq;

    GithubDeploymentReporterTest() throws IOException {
    }

    @AfterEach
    void stop() {
        GithubRequests.assertConform(github.requests());
        github.close();
    }

    private GithubDeploymentReporter reporter(boolean production) {
        return reporter(Fixtures.api(github.url(), sleeper), production);
    }

    private GithubDeploymentReporter reporter(GithubApi api, boolean production) {
        var deployment = new GithubDeploymentReporter.Deployment(7, "shop", production ? "production" : "staging",
                "0123456789abcdef0123456789abcdef01234567", RunKind.DEPLOY, production, LOG, SITE);
        return new GithubDeploymentReporter(api, FakeGithub.REPO, deployment, warnings::add, Duration.ofSeconds(5));
    }

    private JournalEvent event(EventType type, String step, String... kv) {
        Map<String, String> data = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            data.put(kv[i], kv[i + 1]);
        }
        return new JournalEvent(7, ++seq, Instant.now(), type, step, data);
    }

    private void feed(GithubDeploymentReporter r, EventType... types) {
        for (EventType t : types) {
            r.onEvent(event(t, t.name().startsWith("STEP") ? "build" : null, "reason", "verify failed"));
        }
    }

    @Test
    void onEvent_successfulRun_createsDeploymentAndPostsEachStatus() {
        try (GithubDeploymentReporter r = reporter(false)) {
            feed(r, EventType.RUN_QUEUED, EventType.RUN_STARTED, EventType.STEP_STARTED, EventType.STEP_SUCCEEDED,
                    EventType.RUN_SUCCEEDED);
        }
        assertThat(github.deployments).singleElement().satisfies(d -> {
            assertThat(d.path("ref").asText()).isEqualTo("0123456789abcdef0123456789abcdef01234567");
            assertThat(d.path("environment").asText()).isEqualTo("staging");
            assertThat(d.path("auto_merge").asBoolean(true)).isFalse();
            assertThat(d.path("required_contexts").isArray()).isTrue();
            assertThat(d.path("production_environment").asBoolean(true)).isFalse();
        });
        assertThat(github.statusStates()).containsExactly("queued", "in_progress", "in_progress", "success");
        assertThat(github.statuses).allSatisfy(s -> {
            assertThat(s.path("log_url").asText()).isEqualTo(LOG);
            assertThat(s.path("environment_url").asText()).isEqualTo(SITE);
            assertThat(s.path("deployment_id").asLong()).isEqualTo(42);
        });
        assertThat(warnings).isEmpty();
    }

    @Test
    void onEvent_productionRun_marksProductionEnvironment() {
        try (GithubDeploymentReporter r = reporter(true)) {
            feed(r, EventType.RUN_QUEUED);
        }
        assertThat(github.deployments.get(0).path("production_environment").asBoolean()).isTrue();
        assertThat(github.deployments.get(0).path("environment").asText()).isEqualTo("production");
    }

    @Test
    void onEvent_runFailedBeforeChange_postsFailureWithReason() {
        try (GithubDeploymentReporter r = reporter(false)) {
            feed(r, EventType.RUN_QUEUED, EventType.RUN_STARTED, EventType.RUN_FAILED);
        }
        JsonNode last = github.statuses.get(github.statuses.size() - 1);
        assertThat(last.path("state").asText()).isEqualTo("failure");
        assertThat(last.path("description").asText()).contains("verify failed");
    }

    @Test
    void onEvent_rolledBack_postsFailure() {
        try (GithubDeploymentReporter r = reporter(false)) {
            feed(r, EventType.RUN_QUEUED, EventType.RUN_STARTED, EventType.COMPENSATION_STARTED, EventType.ROLLED_BACK);
        }
        assertThat(github.statusStates()).containsExactly("queued", "in_progress", "in_progress", "failure");
    }

    @Test
    void onEvent_compensationFailed_postsError() {
        try (GithubDeploymentReporter r = reporter(false)) {
            feed(r, EventType.RUN_QUEUED, EventType.RUN_STARTED, EventType.COMPENSATION_STARTED, EventType.COMPENSATION_FAILED);
        }
        assertThat(github.statusStates()).endsWith("error");
    }

    @Test
    void onEvent_reporterAttachedAfterQueue_createsDeploymentOnRunStarted() {
        try (GithubDeploymentReporter r = reporter(false)) {
            feed(r, EventType.RUN_STARTED, EventType.RUN_SUCCEEDED);
        }
        assertThat(github.deployments).hasSize(1);
        assertThat(github.statusStates()).containsExactly("in_progress", "success");
    }

    @Test
    void onEvent_runResumedByAnotherProcess_reportsOnItsExistingDeployment() {
        try (GithubDeploymentReporter first = reporter(false)) {
            feed(first, EventType.RUN_QUEUED, EventType.RUN_STARTED);
        }
        GithubDeploymentReporter second = reporter(false);
        feed(second, EventType.RUN_QUEUED, EventType.RUN_STARTED, EventType.RUN_RESUMED, EventType.RUN_SUCCEEDED);
        second.close();
        assertThat(second.deploymentId()).hasValue(42);
        assertThat(github.deployments).hasSize(1);
        assertThat(github.statuses).allSatisfy(s -> assertThat(s.path("deployment_id").asLong()).isEqualTo(42));
        assertThat(github.statusStates()).endsWith("success");
    }

    @Test
    void onEvent_otherRunsEvents_ignored() {
        try (GithubDeploymentReporter r = reporter(false)) {
            r.onEvent(new JournalEvent(8, 1, Instant.now(), EventType.RUN_QUEUED, null, Map.of()));
        }
        assertThat(github.requests()).isEmpty();
    }

    @Test
    void onEvent_githubAnswers500TwiceThen201_stillCreatesTheDeployment() {
        github.fault("POST", "/repos/acme/shop/deployments", 500, Map.of(), 2);
        try (GithubDeploymentReporter r = reporter(false)) {
            feed(r, EventType.RUN_QUEUED, EventType.RUN_SUCCEEDED);
        }
        assertThat(github.deployments).hasSize(1);
        assertThat(github.statusStates()).containsExactly("queued", "success");
        assertThat(warnings).isEmpty();
    }

    @Test
    void onEvent_githubDown_returnsAtOnceAndLogsOneWarning() throws IOException {
        GithubDeploymentReporter r = reporter(Fixtures.api(GithubApiTest.deadAddress(), sleeper), false);
        long start = System.nanoTime();
        feed(r, EventType.RUN_QUEUED, EventType.RUN_STARTED, EventType.STEP_STARTED, EventType.RUN_SUCCEEDED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        r.close();
        assertThat(warnings).singleElement().asString().contains("could not create the deployment")
                .contains("The deploy goes on without it");
        assertThat(r.deploymentId()).isEmpty();
    }

    @Test
    void close_githubHangs_returnsWithinTheCloseWait() {
        github.fault("POST", "/repos/acme/shop/deployments", 503, Map.of("Retry-After", "30"), 10);
        var deployment = new GithubDeploymentReporter.Deployment(7, "shop", "staging", "abc", RunKind.DEPLOY, false, null, null);
        GithubDeploymentReporter r = new GithubDeploymentReporter(Fixtures.api(github.url(), Sleeper.REAL), FakeGithub.REPO,
                deployment, warnings::add, Duration.ofMillis(300));
        feed(r, EventType.RUN_QUEUED, EventType.RUN_SUCCEEDED);
        await().until(() -> !github.requests().isEmpty());
        long start = System.nanoTime();
        r.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("did not finish within"));
    }

    @Test
    void onEvent_afterClose_ignoredWithoutThrowing() {
        GithubDeploymentReporter r = reporter(false);
        r.close();
        feed(r, EventType.RUN_QUEUED);
        assertThat(github.requests()).isEmpty();
    }
}
