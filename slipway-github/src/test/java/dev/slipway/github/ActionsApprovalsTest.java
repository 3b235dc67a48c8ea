package dev.slipway.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.SlipwayException;
import dev.slipway.core.engine.ApprovalSource;
import dev.slipway.core.engine.Engine;
import dev.slipway.core.engine.EngineOptions;
import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import dev.slipway.core.target.StepName;
import dev.slipway.core.testing.ScriptedTarget;
import dev.slipway.github.FakeGithub.Review;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GitHub's environment reviews are the approvals of a deploy from Actions. GitHub is out of reach here: a local stub
 * ({@link FakeGithub}) stands in, answering the Actions requests from the examples of ../shared's OpenAPI description;
 * every request Slipway sends and every such answer is checked against that description. The engine, journal (SQLite)
 * and spec are real; the target is scripted.
 */
class ActionsApprovalsTest {
    private static final String SPEC = """
            app: shop
            build: {context: .}
            health: {timeout: 5s}
            timeouts: {build: 5s, snapshot: 5s, stop: 5s, deploy: 5s, compensate: 5s}
            stages:
              production:
                branch: prod
                target: test
                approvals: {required: 2}
              preprod:
                branch: preprod
                target: test
                approvals: {required: 1, approvers: [bob, github:Carol]}
              qa:
                branch: qa
                target: test
                approvals: {required: 1, allow-self-approval: true}
            """;
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    @TempDir
    Path dir;
    private final ScriptedTarget target = new ScriptedTarget();
    private FakeGithub github;
    private Journal journal;
    private SlipwaySpec spec;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void start() throws IOException {
        SharedFiles.require(SharedFiles.OPENAPI);
        github = new FakeGithub();
        spec = new SpecLoader(Set.of("test")).parse(SPEC, "slipway.yml", dir);
        journal = Journals.open("jdbc:sqlite:" + dir.resolve("state.db"), null, null);
        env.putAll(Map.of("GITHUB_RUN_ID", String.valueOf(FakeGithub.ACTIONS_RUN_ID), "GITHUB_REPOSITORY", FakeGithub.REPO,
                "GITHUB_TOKEN", "job-t0ken-secret", "GITHUB_API_URL", github.url().toString()));
    }

    @AfterEach
    void stop() {
        try {
            GithubRequests.assertConform(github.requests());
            GithubRequests.assertAnswersConform(github.actionsAnswers());
        } finally {
            journal.close();
            github.close();
        }
    }

    private Engine engine() {
        ApprovalSource source = ActionsApprovals.fromEnv(env::get, GithubSettings.fromEnv(env::get));
        return new Engine(journal, spec, stage -> target, EngineOptions.defaults(Duration.ofSeconds(2)).withApprovals(source));
    }

    private RunRecord request(String stage, String by) {
        try (Engine e = engine()) {
            return e.request(stage, SHA, RunKind.DEPLOY, by);
        }
    }

    private void assertRefused(String stage, String by, String... says) {
        assertThatThrownBy(() -> request(stage, by)).isInstanceOf(SlipwayException.class)
                .satisfies(e -> assertThat(((SlipwayException) e).exitCode()).isEqualTo(2))
                .hasMessageContainingAll(says)
                .hasMessageContaining("Nothing was built or changed")
                .message().doesNotContain("job-t0ken-secret");
        assertThat(journal.unfinishedRuns(stage)).as("nothing queued").isEmpty();
        assertThat(target.calls()).as("the target was never asked").isEmpty();
    }

    @Test
    void deploy_twoApprovalsByOtherPeople_runsWithoutWaitingAndJournalsBoth() {
        github.reviews.add(new Review("bob", "approved", "production"));
        github.reviews.add(new Review("carol", "approved", "production"));

        RunView v;
        try (Engine e = engine()) {
            RunRecord r = e.request("production", SHA, RunKind.DEPLOY, "alice");
            v = e.run(r.id(), dev.slipway.core.engine.RunListener.NONE);
        }

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(v.approvers()).containsExactlyInAnyOrder("github:bob", "github:carol");
        assertThat(v.events()).noneMatch(ev -> ev.type() == EventType.APPROVAL_REQUESTED);
        assertThat(v.events()).filteredOn(ev -> ev.type() == EventType.APPROVED)
                .allMatch(ev -> ev.get("via").equals("environment production of GitHub Actions run 42"));
        assertThat(target.steps(v.run().id())).contains(StepName.BUILD, StepName.DEPLOY);
    }

    @Test
    void deploy_oneApprovalByThePusher_refusedWithExit2AndNothingBuilt() {
        github.reviews.add(new Review("bob", "approved", "preprod"));
        github.actor = "bob";
        github.triggeringActor = "bob";

        assertRefused("preprod", "bob", "stage preprod needs 1 approval(s) from environment preprod of GitHub Actions run 42 and has 0",
                "github:bob (started this run; stages.preprod.approvals forbids self-approval)");
    }

    @Test
    void deploy_noReviewHistory_refused() {
        github.reviewHistoryMissing = true;

        assertRefused("production", "alice", "GitHub has no review history for Actions run 42 in acme/shop (HTTP 404");
    }

    @Test
    void deploy_workflowLostItsEnvironment_refusedSayingHowToBindIt() {
        assertRefused("production", "alice", "and has 0. No approval of environment production is in this run's review history",
                "`environment: production` in .github/workflows/slipway-production.yml");
    }

    @Test
    void deploy_rejectedReview_doesNotCount() {
        github.reviews.add(new Review("bob", "rejected", "preprod"));

        assertRefused("preprod", "alice", "needs 1 approval(s)", "and has 0");
    }

    @Test
    void deploy_approvalOfAnotherEnvironment_doesNotCount() {
        github.reviews.add(new Review("bob", "approved", "staging"));

        assertRefused("preprod", "alice", "and has 0");
    }

    @Test
    void deploy_reRunBySomeoneElse_neitherThePusherNorTheReRunnerCounts() {
        github.actor = "alice";
        github.triggeringActor = "Bob"; // bob re-ran alice's push, and approved it himself
        github.reviews.add(new Review("bob", "approved", "preprod"));

        assertRefused("preprod", "bob", "github:bob (started this run");
    }

    @Test
    void deploy_approvalsCompareLoginsWithoutCase_andOnlyListedApproversCount() {
        github.reviews.add(new Review("mallory", "approved", "PreProd"));
        github.reviews.add(new Review("carol", "approved", "PreProd"));

        RunRecord r = request("preprod", "alice");

        assertThat(journal.events(r.id())).filteredOn(ev -> ev.type() == EventType.APPROVED)
                .extracting(ev -> ev.get("by")).containsExactly("github:carol");
    }

    @Test
    void deploy_selfApprovalAllowed_thePusherCounts() {
        github.reviews.add(new Review("alice", "approved", "qa"));

        RunRecord r = request("qa", "alice");

        assertThat(journal.events(r.id())).filteredOn(ev -> ev.type() == EventType.APPROVED)
                .extracting(ev -> ev.get("by")).containsExactly("github:alice");
    }

    @Test
    void deploy_tokenWithoutActionsRead_refusedNamingThePermission() {
        github.actionsForbidden = true;

        assertRefused("production", "alice", "HTTP 403: Resource not accessible by integration",
                "the job's GITHUB_TOKEN needs the `actions: read` permission");
    }

    @Test
    void deploy_githubDown_failsWithExit1BeforeAnythingIsQueued() {
        github.fault("GET", ".*/actions/runs/.*", 502, Map.of(), 100);

        assertThatThrownBy(() -> request("production", "alice")).isInstanceOf(SlipwayException.class)
                .satisfies(e -> assertThat(((SlipwayException) e).exitCode()).isEqualTo(1))
                .hasMessageContaining("could not read the workflow run of GitHub Actions run 42")
                .hasMessageContaining("Nothing was built or changed; re-run the job");
        assertThat(journal.unfinishedRuns("production")).isEmpty();
        assertThat(target.calls()).isEmpty();
    }

    @Test
    void deploy_noToken_refused() {
        env.remove("GITHUB_TOKEN");

        assertRefused("production", "alice", "GitHub Actions run 42 has no GITHUB_TOKEN");
        assertThat(github.requests()).isEmpty();
    }

    @Test
    void deploy_enterpriseServer_readsUnderItsApiPath() {
        env.put("GITHUB_API_URL", github.url() + FakeGithub.GHES_PREFIX);
        github.reviews.add(new Review("bob", "approved", "preprod"));

        request("preprod", "alice");

        assertThat(github.enterpriseRequests.get()).isEqualTo(2);
    }

    @Test
    void source_outsideActions_hasNoSayAndAsksNothing() {
        env.remove("GITHUB_RUN_ID");

        assertThat(ActionsApprovals.fromEnv(env::get, GithubSettings.fromEnv(env::get))).isSameAs(ApprovalSource.NONE);
        RunRecord r = request("production", "alice");
        assertThat(journal.events(r.id())).noneMatch(ev -> ev.type() == EventType.APPROVED);
        assertThat(github.requests()).isEmpty();
    }

    @Test
    void source_runIdNotANumber_refusedNamingIt() {
        env.put("GITHUB_RUN_ID", "42; rm");

        assertThatThrownBy(() -> ActionsApprovals.fromEnv(env::get, GithubSettings.fromEnv(env::get)))
                .hasMessage("GITHUB_RUN_ID '42; rm' is not a workflow run id (digits)");
    }
}
