package dev.slipway.core.engine;

import static dev.slipway.core.engine.EngineTest.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.SlipwayException;
import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.target.StepName;
import dev.slipway.core.testing.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approvals given outside Slipway (an {@link ApprovalSource}): production needs 2 of alice, bob and carol. A fake source
 * stands in for GitHub here; slipway-github tests the real one against a GitHub stub.
 */
class EngineApprovalSourceTest {
    private static final Instant REVIEWED = TestClock.START.minusSeconds(60);
    @TempDir
    Path dir;
    EngineHarness h;
    Engine engine;
    ApprovalSource.Given given;

    @BeforeEach
    void setUp() {
        h = new EngineHarness(dir);
        engine = h.engine("actions", p -> p.approvals = (request, stage) -> Optional.ofNullable(given));
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private static ApprovalSource.Given github(Set<String> requesters, String... logins) {
        List<ApprovalSource.Approval> approvals = Arrays.stream(logins).map(l -> new ApprovalSource.Approval(l, REVIEWED)).toList();
        return new ApprovalSource.Given("github", "environment production of GitHub Actions run 42", approvals, requesters,
                "is the job bound to environment production?");
    }

    @Test
    void request_twoApprovalsByOthers_runsWithoutWaitingAndJournalsBoth() {
        given = github(Set.of("alice"), "bob", "carol");

        RunRecord r = engine.request("production", "c1", RunKind.DEPLOY, "alice");
        RunView v = engine.run(r.id(), RunListener.NONE);

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(v.approvers()).containsExactlyInAnyOrder("github:bob", "github:carol");
        assertThat(types(v)).doesNotContain(EventType.APPROVAL_REQUESTED);
        assertThat(v.events().stream().filter(e -> e.type() == EventType.APPROVED).map(e -> e.at())).containsOnly(REVIEWED);
    }

    @Test
    void request_oneApprovalByThePusher_refusedBeforeAnythingIsQueued() {
        given = github(Set.of("alice"), "alice");

        assertThatThrownBy(() -> engine.request("production", "c1", RunKind.DEPLOY, "alice"))
                .isInstanceOf(SlipwayException.class)
                .satisfies(e -> assertThat(((SlipwayException) e).exitCode()).isEqualTo(2))
                .hasMessageContaining("stage production needs 2 approval(s) from environment production of GitHub Actions run 42 and has 0")
                .hasMessageContaining("github:alice (started this run; stages.production.approvals forbids self-approval)")
                .hasMessageContaining("is the job bound to environment production?")
                .hasMessageContaining("Nothing was built or changed");
        assertThat(h.journal.unfinishedRuns("production")).isEmpty();
        assertThat(h.target.count(StepName.BUILD)).isZero();
    }

    @Test
    void request_noApprovalsRead_refused() {
        given = github(Set.of("alice"));

        assertThatThrownBy(() -> engine.request("production", "c1", RunKind.DEPLOY, "alice"))
                .hasMessageContaining("has 0. is the job bound to environment production?");
        assertThat(h.journal.unfinishedRuns("production")).isEmpty();
    }

    @Test
    void request_reRunByAReviewer_theReRunnerDoesNotCount() {
        given = github(Set.of("alice", "bob"), "bob", "carol"); // alice pushed, bob re-ran and approved

        assertThatThrownBy(() -> engine.request("production", "c1", RunKind.DEPLOY, "bob"))
                .hasMessageContaining("has 1 (github:carol); not counted: github:bob (started this run");
    }

    @Test
    void request_sameLoginTwiceInAnotherCase_countsOnce() {
        given = github(Set.of("alice"), "bob", "Bob");

        assertThatThrownBy(() -> engine.request("production", "c1", RunKind.DEPLOY, "alice"))
                .hasMessageContaining("has 1 (github:bob)");
    }

    @Test
    void request_approverNotListed_doesNotCount() {
        given = github(Set.of("alice"), "bob", "mallory");

        assertThatThrownBy(() -> engine.request("production", "c1", RunKind.DEPLOY, "alice"))
                .hasMessageContaining("not counted: github:mallory (not in stages.production.approvals.approvers)");
    }

    @Test
    void request_approverListedWithScheme_counts() {
        given = github(Set.of("alice"), "BOB", "carol");
        Engine e = h.engine("other", p -> p.approvals = (request, stage) -> Optional.of(given));

        RunRecord r = e.request("production", "c1", RunKind.DEPLOY, "github:alice");

        assertThat(e.view(r.id()).approvers()).containsExactlyInAnyOrder("github:BOB", "github:carol");
    }

    @Test
    void request_sourceHasNoSay_gateWaitsAsBefore() {
        given = null;

        RunRecord r = engine.request("production", "c1", RunKind.DEPLOY, "alice");

        assertThat(engine.view(r.id()).approvers()).isEmpty();
        assertThat(engine.view(r.id()).state()).isEqualTo(RunState.QUEUED);
    }

    @Test
    void request_stageWithoutApprovals_sourceNotAsked() {
        Engine e = h.engine("other", p -> p.approvals = (request, stage) -> {
            throw new AssertionError("asked about " + stage.name());
        });

        assertThat(e.request("staging", "c1", RunKind.DEPLOY, "alice").stage()).isEqualTo("staging");
    }

    @Test
    void request_twoApprovedRunsQueued_theOlderIsStillSuperseded() {
        given = github(Set.of("alice"), "bob", "carol");
        RunRecord older = engine.request("production", "c1", RunKind.DEPLOY, "alice");
        RunRecord newer = engine.request("production", "c2", RunKind.DEPLOY, "alice");

        RunView v = engine.run(newer.id(), RunListener.NONE);

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(engine.view(older.id()).state()).isEqualTo(RunState.SUPERSEDED);
    }
}
