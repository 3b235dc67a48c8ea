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
import java.util.Optional;
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

    /** Log lines the driving process showed its own user: a holder that lost the lease says why only there. */
    private final List<String> shown = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Background<RunView> start(Engine engine, RunRecord run) {
        return Background.start("run-" + run.id(), () -> engine.run(run.id(), new RunListener() {
            @Override
            public void onLog(LogLine line) {
                shown.add(line.line());
            }
        }));
    }

    /**
     * Another process takes the stage as if this one's lease had expired on the store's clock. The holder may renew
     * between the two statements (it beats every 100 ms): then expire it again.
     */
    private Fence takeOver(long runId) {
        for (int attempt = 1; ; attempt++) {
            h.expireLease("staging");
            Optional<Fence> taken = h.journal.tryAcquire("staging", "B", runId, Duration.ofMinutes(5), l -> false);
            if (taken.isPresent() || attempt == 10) {
                return taken.orElseThrow();
            }
        }
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
        assertThat(shown).anyMatch(l -> l.contains("could not renew the lease"));
        assertThat(logs(r.id())).noneMatch(l -> l.contains("could not renew the lease"));
    }

    /** Finding 4a: a holder whose heartbeat is refused stops its step, does not compensate, and writes no more events. */
    @Test
    void run_leaseTakenOverWhileAStepRuns_stopsWithoutCompensatingAndTheNewHolderFinishes() throws Exception {
        FailingJournal aj = new FailingJournal(h.journal());
        Engine a = h.engine("A", p -> {
            p.journal = aj;
            p.leaseTtl = SHORT_TTL;
        });
        CountDownLatch deploying = new CountDownLatch(1);
        AtomicInteger deploys = new AtomicInteger();
        h.target.on(StepName.DEPLOY, ctx -> {
            if (deploys.incrementAndGet() == 1) {
                deploying.countDown();
                return blockUntilInterrupted();
            }
            return Outputs.NONE;
        });
        RunRecord r = a.request("staging", "c1", RunKind.DEPLOY, "t");
        Background<RunView> run = start(a, r);
        await(deploying);

        Fence b = takeOver(r.id());
        int atTakeover = h.journal.events(r.id()).size();

        RunView seenByA = run.get(); // A's next heartbeat is refused
        assertThat(seenByA.state()).isEqualTo(RunState.RUNNING);
        assertThat(h.target.count(StepName.DEPLOY)).as("A's deploy call has ended").isEqualTo(1);
        assertThat(h.target.count(StepName.COMPENSATE)).isZero();
        assertThat(aj.appended).allMatch(e -> e.seq() <= atTakeover);
        assertThat(h.journal.events(r.id())).hasSize(atTakeover);
        assertThat(h.journal.lease("staging").orElseThrow().fence()).isEqualTo(b);

        RunView v = h.engine("B").run(r.id(), RunListener.NONE);
        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        JournalEvent firstAfter = v.events().get(atTakeover);
        assertThat(firstAfter.type()).isEqualTo(EventType.RUN_RESUMED);
        assertThat(firstAfter.get("holder")).isEqualTo("B");
    }

    /** A lost lease stops the run of that lease only: another stage's run driven by the same engine goes on. */
    @Test
    void run_leaseOfOneStageLost_anotherStagesRunOfTheSameEngineGoesOn() throws Exception {
        Engine a = h.engine("A", p -> p.leaseTtl = SHORT_TTL);
        CountDownLatch deploying = new CountDownLatch(1);
        h.target.on(StepName.DEPLOY, ctx -> {
            if (ctx.stage().name().equals("staging")) {
                deploying.countDown();
                return blockUntilInterrupted();
            }
            return Outputs.NONE;
        });
        RunRecord prod = a.request("production", "c1", RunKind.DEPLOY, "alice");
        Background<RunView> prodRun = start(a, prod);
        await().atMost(Duration.ofSeconds(10)).until(() -> h.engine.view(prod.id()).state() == RunState.AWAITING_APPROVAL);
        RunRecord staging = a.request("staging", "c1", RunKind.DEPLOY, "t");
        Background<RunView> stagingRun = start(a, staging);
        await(deploying);

        takeOver(staging.id());

        assertThat(stagingRun.get().state()).isEqualTo(RunState.RUNNING);
        Engine approver = h.engine("approver");
        approver.approve(prod.id(), "bob");
        approver.approve(prod.id(), "carol");
        RunView v = prodRun.get();
        assertThat(v.state()).as(v.reason()).isEqualTo(RunState.SUCCEEDED);
    }

    /** Finding 4b: a write of a holder whose epoch has moved on is refused, and that holder stops acting at once. */
    @Test
    void run_staleHolderJournalsAStepsEnd_isRefusedAndActsNoMore() throws Exception {
        FailingJournal aj = new FailingJournal(h.journal());
        Engine a = h.engine("A", p -> {
            p.journal = aj;
            p.leaseTtl = Duration.ofMinutes(1); // no heartbeat before the step ends: the refused write is what stops A
        });
        CountDownLatch deploying = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicInteger deploys = new AtomicInteger();
        h.target.on(StepName.DEPLOY, ctx -> {
            if (deploys.incrementAndGet() == 1) {
                deploying.countDown();
                await(finish);
            }
            return Outputs.of("containers", "2");
        });
        RunRecord r = a.request("staging", "c1", RunKind.DEPLOY, "t");
        Background<RunView> run = start(a, r);
        await(deploying);
        Fence b = takeOver(r.id());
        int atTakeover = h.journal.events(r.id()).size();

        finish.countDown();

        assertThat(run.get().state()).isEqualTo(RunState.RUNNING);
        assertThat(aj.refused).containsExactly(EventType.STEP_SUCCEEDED);
        assertThat(h.target.steps(r.id())).doesNotContain(StepName.VERIFY, StepName.COMPENSATE);
        assertThat(h.journal.events(r.id())).hasSize(atTakeover);
        assertThat(h.journal.lease("staging").orElseThrow().fence()).isEqualTo(b);
        assertThat(h.engine("B").run(r.id(), RunListener.NONE).state()).isEqualTo(RunState.SUCCEEDED);
    }

    /** Finding 4c: compensation ignores a signal (it must finish), but not a lost lease (someone else owns the stage). */
    @Test
    void compensation_ignoresASignalButStopsWhenTheLeaseIsLost() throws Exception {
        Engine a = h.engine("A", p -> p.leaseTtl = SHORT_TTL);
        CountDownLatch compensating = new CountDownLatch(1);
        AtomicBoolean compensationInterrupted = new AtomicBoolean();
        h.target.on(StepName.VERIFY, ctx -> {
            throw TargetException.permanent("replica 0 never became healthy");
        }).on(StepName.COMPENSATE, ctx -> {
            compensating.countDown();
            try {
                return blockUntilInterrupted();
            } finally {
                compensationInterrupted.set(true);
            }
        });
        RunRecord r = a.request("staging", "c1", RunKind.DEPLOY, "t");
        Background<RunView> run = start(a, r);
        await(compensating);

        a.cancel("interrupted by SIGINT");
        await().atMost(Duration.ofSeconds(10)).until(() -> logs(r.id()).contains("interrupt ignored while compensating; wait for it to finish"));
        assertThat(compensationInterrupted).isFalse();
        takeOver(r.id());

        RunView v = run.get();
        assertThat(compensationInterrupted).isTrue();
        assertThat(v.state()).isEqualTo(RunState.COMPENSATING);
        assertThat(types(v)).doesNotContain(EventType.ROLLED_BACK, EventType.COMPENSATION_FAILED);
        assertThat(v.step("compensate").orElseThrow().state()).isEqualTo("RUNNING");
        assertThat(shown).anyMatch(l -> l.startsWith("stopped compensating: lost the lease of stage staging"));
        assertThat(logs(r.id())).noneMatch(l -> l.startsWith("stopped compensating"));
    }

    /** A lease lost as a step fails (the interrupt arrives before compensation begins): compensation does not start. */
    @Test
    void compensation_leaseLostAsTheStepFailed_doesNotStart() throws Exception {
        FailingJournal aj = new FailingJournal(h.journal());
        Engine a = h.engine("A", p -> {
            p.journal = aj;
            p.leaseTtl = SHORT_TTL;
        });
        h.target.on(StepName.VERIFY, ctx -> {
            throw TargetException.permanent("replica 0 never became healthy");
        }).on(StepName.COMPENSATE, ctx -> blockUntilInterrupted());
        aj.beforeAppend = (type, step) -> {
            if (type == EventType.STEP_FAILED && "verify".equals(step)) {
                aj.failHeartbeats = true; // the store cannot be reached for the lease: the engine gives the stage up
                awaitInterrupt(); // ... which it says by interrupting the thread that drives the run
            }
        };
        RunRecord r = a.request("staging", "c1", RunKind.DEPLOY, "t");

        RunView v = start(a, r).get();

        assertThat(h.target.count(StepName.COMPENSATE)).isZero();
        assertThat(types(v)).doesNotContain(EventType.COMPENSATION_STARTED, EventType.ROLLED_BACK);
        assertThat(shown).anyMatch(l -> l.contains("could not renew the lease"));
        assertThat(logs(r.id())).noneMatch(l -> l.contains("could not renew the lease"));
    }

    private static void awaitInterrupt() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Thread.currentThread().isInterrupted() && System.nanoTime() < until) {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1)); // returns at once when the thread is interrupted
        }
    }

    /** Finding 4d: a step that does not stop within the stop window is reported, so the process can exit. */
    @Test
    void step_ignoresInterruptsBeyondTheStopWindow_callsOnStuckStep() throws Exception {
        Engine a = h.engine("A", p -> p.leaseTtl = Duration.ofMillis(200)); // stop window: 50 ms
        CountDownLatch stuck = new CountDownLatch(1);
        a.onStuckStep(stuck::countDown);
        CountDownLatch deploying = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        h.target.on(StepName.DEPLOY, ctx -> {
            deploying.countDown();
            awaitIgnoringInterrupts(letGo);
            return Outputs.NONE;
        });
        RunRecord r = a.request("staging", "c1", RunKind.DEPLOY, "t");
        Background<RunView> run = start(a, r);
        await(deploying);

        a.cancel("interrupted by SIGINT");
        await(stuck);
        letGo.countDown();

        assertThat(run.get().state()).isEqualTo(RunState.ROLLED_BACK);
        assertThat(logs(r.id())).contains("step did not stop within 50ms of being interrupted");
    }

    /** A renewal that was under way as the run ended (and so is refused) must not cancel the engine's next run. */
    @Test
    void heartbeat_refusedBecauseTheRunEndedMeanwhile_leavesTheEngineUsable() throws Exception {
        FailingJournal aj = new FailingJournal(h.journal());
        Engine a = h.engine("A", p -> {
            p.journal = aj;
            p.leaseTtl = SHORT_TTL;
        });
        CountDownLatch beating = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        AtomicReference<Thread> beatThread = new AtomicReference<>();
        aj.beforeHeartbeat = () -> {
            if (Thread.currentThread().getName().equals("slipway-lease") && beatThread.compareAndSet(null, Thread.currentThread())) {
                beating.countDown();
                awaitIgnoringInterrupts(released); // this renewal reaches the store only after the run released the lease
            }
        };
        aj.afterRelease = released::countDown;
        h.target.on(StepName.DEPLOY, ctx -> {
            await(beating);
            return Outputs.NONE;
        });

        RunView first = a.run(a.request("staging", "c1", RunKind.DEPLOY, "t").id(), RunListener.NONE);
        await().atMost(Duration.ofSeconds(10)).until(() -> beatThread.get().getState() == Thread.State.WAITING); // renewal done
        RunView second = a.run(a.request("staging", "c2", RunKind.DEPLOY, "t").id(), RunListener.NONE);

        assertThat(first.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(second.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(Thread.interrupted()).as("the caller's thread was not interrupted").isFalse();
    }

    /** A signal after run() returned (the CLI prints, pushes metrics) must not interrupt the thread that called it. */
    @Test
    void cancel_afterTheRunReturned_doesNotInterruptTheCallersThread() {
        h.deploy("staging", "c1");

        h.engine.cancel("interrupted by SIGINT");

        assertThat(Thread.interrupted()).isFalse();
    }
}
