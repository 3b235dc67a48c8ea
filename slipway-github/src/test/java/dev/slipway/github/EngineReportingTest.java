package dev.slipway.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.engine.EngineOptions;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.TargetException;
import dev.slipway.core.testing.ScriptedTarget;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reporter attached to the real engine (SQLite journal, scripted target): GitHub's health never decides a deploy. */
class EngineReportingTest {
    private static final String SPEC = """
            app: shop
            build: {context: .}
            health: {timeout: 5s}
            timeouts: {build: 5s, snapshot: 5s, stop: 5s, deploy: 5s, compensate: 5s}
            stages:
              staging:
                branch: main
                target: test
            """;
    @TempDir
    Path dir;
    private final ScriptedTarget target = new ScriptedTarget();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private FakeGithub github;
    private Journal journal;
    private Engine engine;
    private SlipwaySpec spec;

    @BeforeEach
    void start() throws IOException {
        github = new FakeGithub();
        spec = new SpecLoader(Set.of("test")).parse(SPEC, "slipway.yml", dir);
        journal = Journals.open("jdbc:sqlite:" + dir.resolve("state.db"), null, null);
        // only defaults(): core is changing the record's components, and these tests need nothing special
        EngineOptions options = EngineOptions.defaults(Duration.ofSeconds(2));
        engine = new Engine(journal, spec, stage -> target, options);
    }

    @AfterEach
    void stop() throws Exception {
        GithubRequests.assertConform(github.requests());
        engine.close();
        journal.close();
        github.close();
    }

    private RunView deploy(URI githubUrl) {
        RunRecord run = engine.request("staging", "0123456789abcdef0123456789abcdef01234567", RunKind.DEPLOY, "ci");
        var deployment = GithubDeploymentReporter.Deployment.of(run, spec.stage("staging").orElseThrow(), null, null);
        try (GithubDeploymentReporter reporter = new GithubDeploymentReporter(
                Fixtures.api(githubUrl, new Fixtures.RecordingSleeper()), FakeGithub.REPO, deployment, warnings::add,
                Duration.ofSeconds(5))) {
            return engine.run(run.id(), reporter);
        }
    }

    @Test
    void run_githubUp_reportsTheRunFromQueuedToSuccess() {
        RunView view = deploy(github.url());

        assertThat(view.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(github.deployments).singleElement()
                .satisfies(d -> assertThat(d.path("payload").path("slipway_run").asLong()).isEqualTo(view.run().id()));
        assertThat(github.statusStates()).startsWith("queued", "in_progress").endsWith("success").doesNotContain("failure");
        assertThat(warnings).isEmpty();
    }

    @Test
    void run_githubDown_deploySucceedsAndTheOutageIsLogged() throws IOException {
        RunView view = deploy(GithubApiTest.deadAddress());

        assertThat(view.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(target.steps(view.run().id())).contains(StepName.DEPLOY, StepName.VERIFY);
        assertThat(warnings).singleElement().asString().contains("The deploy goes on without it");
    }

    @Test
    void run_targetFailsAfterStop_reportsFailureOnceRolledBack() {
        target.on(StepName.VERIFY, ctx -> {
            throw TargetException.permanent("replica 1 never became healthy");
        });

        RunView view = deploy(github.url());

        assertThat(view.state()).isEqualTo(RunState.ROLLED_BACK);
        assertThat(github.statusStates()).endsWith("failure");
    }
}
