package dev.slipway.core.engine;

import static dev.slipway.core.engine.EngineTest.types;
import static dev.slipway.core.testing.Latches.await;
import static dev.slipway.core.testing.Latches.awaitIgnoringInterrupts;
import static dev.slipway.core.testing.Latches.blockUntilInterrupted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Fence;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.Lease;
import dev.slipway.core.journal.LogLine;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.TargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage lease: waiting for it, taking it over, and what a holder that lost it must (not) do. */
class EngineLeaseTest {
    /** Heartbeats every 100 ms: a holder notices a takeover quickly. */
    private static final Duration SHORT_TTL = Duration.ofMillis(300);
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

    private List<String> logs(long runId) {
        return h.journal.logs(runId).stream().map(LogLine::line).toList();
    }

    @Test
    void lease_heldByAnExpiredForeignHolder_isTakenOverAtOnce() {
        RunRecord r = h.request("staging", "c0");
        Fence foreign = h.journal.tryAcquire("staging", "other-host/b00t/1/x", r.id(), Duration.ZERO, l -> false).orElseThrow();

        RunView v = h.engine.run(r.id(), RunListener.NONE);

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(h.clock.waits()).as("no wait for the lease").isZero();
        Lease after = h.journal.lease("staging").orElseThrow();
        assertThat(after.isFree()).isTrue();
        assertThat(after.epoch()).isGreaterThan(foreign.epoch());
    }

    @Test
    void lease_heldByALiveForeignHolder_runWaitsUntilItIsFreed() throws Exception {
        RunRecord r = h.request("staging", "c0");
        Fence foreign = h.journal.tryAcquire("staging", "other-host/b00t/1/x", 99, Duration.ofHours(1), l -> false).orElseThrow();

        Background<RunView> run = start(h.engine, r);
        await().atMost(Duration.ofSeconds(10)).until(() -> h.clock.waits() >= 20);

        assertThat(h.target.calls()).isEmpty();
        assertThat(h.engine.view(r.id()).state()).isEqualTo(RunState.QUEUED);
        assertThat(h.journal.lease("staging").orElseThrow().holder()).isEqualTo("other-host/b00t/1/x");
        h.journal.release(foreign);
        assertThat(run.get().state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void run_leaseCannotBeRenewed_stopsTouchingTheStageWithoutCompensating() throws Exception {
        FailingJournal journal = new FailingJournal(h.journal());
        Engine e = h.engine("cut-off", p -> {
            p.journal = journal;
            p.leaseTtl = SHORT_TTL;
        });
        CountDownLatch deploying = new CountDownLatch(1);
        h.target.on(StepName.DEPLOY, ctx -> {
            deploying.countDown();
            return blockUntilInterrupted();
        });
        RunRecord r = e.request("staging", "c1", RunKind.DEPLOY, "t");
        Background<RunView> run = start(e, r);
        await(deploying);

        journal.failHeartbeats = true;

        RunView v = run.get();
        assertThat(v.state()).isEqualTo(RunState.RUNNING);
        assertThat(h.target.count(StepName.COMPENSATE)).isZero();
        assertThat(logs(r.id())).anyMatch(l -> l.contains("could not renew the lease"));
    }
}
