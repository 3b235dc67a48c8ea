package dev.slipway.core.engine;

import static dev.slipway.core.engine.EngineTest.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.target.StepName;
import dev.slipway.core.testing.TestClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The approval gate of a production stage. */
class EngineApprovalTest {
    @TempDir
    Path dir;
    EngineHarness h;

    @BeforeEach
    void setUp() {
        h = new EngineHarness(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private static Background<RunView> start(Engine engine, RunRecord run) {
        return Background.start("run-" + run.id(), () -> engine.run(run.id(), RunListener.NONE));
    }

    private void awaitState(long runId, RunState state) {
        await().atMost(Duration.ofSeconds(10)).until(() -> h.engine.view(runId).state() == state);
    }

    @Test
    void approvals_twoDistinctApprovers_openTheGate() throws Exception {
        RunRecord r = h.engine.request("production", "c1", RunKind.DEPLOY, "alice");
        Background<RunView> run = start(h.engine, r);
        Engine approver = h.engine("approver");
        awaitState(r.id(), RunState.AWAITING_APPROVAL);

        assertThat(h.target.count(StepName.SNAPSHOT)).isZero();
        assertThatThrownBy(() -> approver.approve(r.id(), "alice")).hasMessageContaining("alice requested run " + r.id());
        assertThatThrownBy(() -> approver.approve(r.id(), "mallory")).hasMessageContaining("mallory may not approve");
        approver.approve(r.id(), "bob");
        assertThatThrownBy(() -> approver.approve(r.id(), "bob")).hasMessageContaining("bob already approved");
        approver.approve(r.id(), "carol");

        RunView v = run.get();
        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(v.step("approval").orElseThrow().outputs()).containsEntry("digest", "sha256:c1");
    }

    @Test
    void approvals_nobodyApproves_failsAfterTimeoutChangingNothing() throws Exception {
        RunRecord r = h.engine.request("production", "c1", RunKind.DEPLOY, "alice");
        Background<RunView> run = start(h.engine, r);
        awaitState(r.id(), RunState.AWAITING_APPROVAL);

        h.clock.advance(Duration.ofHours(1).plusSeconds(1));

        RunView v = run.get();
        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(v.reason()).contains("approval did not finish within 1h00m");
        assertThat(h.target.count(StepName.STOP_OLD)).isZero();
    }

    /**
     * Finding 2: the process that waited for approval dies; another one resumes the run, which must still be waiting for
     * approval (and approvable), without asking for approval a second time.
     */
    @Test
    void approvals_runResumedByAnotherProcessWhileWaiting_isApprovedAndSucceeds() throws Exception {
        FailingJournal aj = new FailingJournal(h.journal());
        Engine a = h.engine(deadHolder(), p -> p.journal = aj); // a holder this host can tell is gone once A "dies"
        RunRecord r = a.request("production", "c1", RunKind.DEPLOY, "alice");
        Background<RunView> first = start(a, r);
        awaitState(r.id(), RunState.AWAITING_APPROVAL);

        aj.crashed = true; // A dies: it writes nothing more and never releases the lease
        a.close();
        assertThatThrownBy(first::get).isInstanceOf(ExecutionException.class);
        assertThat(h.journal.lease("production").orElseThrow().holder()).isEqualTo(deadHolder());
        int beforeResume = h.journal.events(r.id()).size();
        Background<RunView> resumed = start(h.engine("B"), r);
        await().atMost(Duration.ofSeconds(10)).until(() -> types(h.journal.events(r.id())).contains(EventType.RUN_RESUMED));
        awaitState(r.id(), RunState.AWAITING_APPROVAL);
        Engine approver = h.engine("approver");
        approver.approve(r.id(), "bob");
        approver.approve(r.id(), "carol");

        RunView v = resumed.get();
        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(types(v).subList(beforeResume, v.events().size())).startsWith(EventType.RUN_RESUMED);
        assertThat(types(v).stream().filter(t -> t == EventType.APPROVAL_REQUESTED)).hasSize(1);
        assertThat(v.approvers()).containsExactlyInAnyOrder("bob", "carol");
        assertThat(h.target.count(StepName.BUILD)).as("the build of A is reused").isEqualTo(1);
    }

    /**
     * A waits for approval and dies: the run stays AWAITING_APPROVAL with its request journaled at {@code START}. Returns
     * the run; the caller resumes it with an engine whose clock it chooses.
     */
    private RunRecord awaitingApprovalAfterItsDriverDied() throws Exception {
        FailingJournal aj = new FailingJournal(h.journal());
        Engine a = h.engine(deadHolder(), p -> p.journal = aj);
        RunRecord r = a.request("production", "c1", RunKind.DEPLOY, "alice");
        Background<RunView> first = start(a, r);
        awaitState(r.id(), RunState.AWAITING_APPROVAL);
        aj.crashed = true;
        a.close();
        assertThatThrownBy(first::get).isInstanceOf(ExecutionException.class);
        return r;
    }

    private JournalEvent requested(long runId) {
        return h.journal.events(runId).stream().filter(e -> e.type() == EventType.APPROVAL_REQUESTED).findFirst().orElseThrow();
    }

    /** The deadline is when approval was first requested plus approvals.timeout: a resume waits only what is left. */
    @Test
    void approvals_resumedWhileWaiting_waitsOnlyWhatIsLeftOfTheTimeout() throws Exception {
        RunRecord r = awaitingApprovalAfterItsDriverDied();
        Instant deadline = requested(r.id()).at().plus(Duration.ofHours(1));
        TestClock bClock = new TestClock(deadline.minus(Duration.ofMinutes(10)));
        Background<RunView> resumed = start(h.engine("B", p -> p.clock = bClock), r);
        await().atMost(Duration.ofSeconds(10)).until(() -> types(h.journal.events(r.id())).contains(EventType.RUN_RESUMED));
        awaitState(r.id(), RunState.AWAITING_APPROVAL);

        bClock.advance(Duration.ofMinutes(10).plusSeconds(1));

        RunView v = resumed.get();
        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(v.reason()).contains("approval did not finish within 1h00m");
        assertThat(h.target.count(StepName.STOP_OLD)).isZero();
    }

    /** Resumed after the deadline: fails at once with the timeout's reason, journaled once, and changes nothing. */
    @Test
    void approvals_resumedAfterTheDeadline_failsAtOnceWithTheTimeout() throws Exception {
        RunRecord r = awaitingApprovalAfterItsDriverDied();
        Instant deadline = requested(r.id()).at().plus(Duration.ofHours(1));

        RunView v = start(h.engine("B", p -> p.clock = new TestClock(deadline.plus(Duration.ofHours(2)))), r).get();

        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(v.reason()).contains("approval did not finish within 1h00m");
        assertThat(v.events().stream().filter(e -> e.type() == EventType.STEP_FAILED && "approval".equals(e.step()))).hasSize(1);
        assertThat(types(v).stream().filter(t -> t == EventType.APPROVAL_REQUESTED)).hasSize(1);
        assertThat(types(v).stream().filter(t -> t == EventType.RUN_FAILED)).hasSize(1);
        assertThat(h.target.count(StepName.STOP_OLD)).isZero();
    }

    /** Approved in time while no process drove the run: a resume after the deadline goes on, as a live run would have. */
    @Test
    void approvals_approvedBeforeTheDeadlineWhileNobodyDrove_resumeAfterItSucceeds() throws Exception {
        RunRecord r = awaitingApprovalAfterItsDriverDied();
        Instant deadline = requested(r.id()).at().plus(Duration.ofHours(1));
        Engine approver = h.engine("approver", p -> p.clock = new TestClock(deadline.minus(Duration.ofMinutes(5))));
        approver.approve(r.id(), "bob");
        approver.approve(r.id(), "carol");

        RunView v = start(h.engine("B", p -> p.clock = new TestClock(deadline.plus(Duration.ofHours(2)))), r).get();

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
    }

    /** An approval after the deadline would not count: it is refused, naming the deadline, and nothing is journaled. */
    @Test
    void approve_afterTheDeadlineWhileNobodyDrives_isRefusedAndNotJournaled() throws Exception {
        RunRecord r = awaitingApprovalAfterItsDriverDied();
        Instant deadline = requested(r.id()).at().plus(Duration.ofHours(1));
        Engine late = h.engine("approver", p -> p.clock = new TestClock(deadline.plusSeconds(1)));
        int before = h.journal.events(r.id()).size();

        assertThatThrownBy(() -> late.approve(r.id(), "bob")).isInstanceOfSatisfying(dev.slipway.core.SlipwayException.class,
                e -> assertThat(e.exitCode()).isEqualTo(2)).hasMessageContaining("stopped waiting for approval at " + deadline)
                .hasMessageContaining("Deploy again");
        assertThat(h.journal.events(r.id())).hasSize(before);
    }

    private static String deadHolder;

    /** This process's holder name with the pid of a process that has exited: {@link Holder#isDead} says it is gone. */
    static synchronized String deadHolder() throws IOException, InterruptedException {
        if (deadHolder == null) {
            Process p = new ProcessBuilder("true").start();
            p.waitFor();
            String[] parts = Holder.thisProcess().split("/");
            parts[parts.length - 2] = String.valueOf(p.pid());
            deadHolder = String.join("/", parts);
        }
        return deadHolder;
    }
}
