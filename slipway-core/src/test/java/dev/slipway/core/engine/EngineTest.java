package dev.slipway.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.TargetException;
import dev.slipway.core.testing.ScriptedTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineTest {
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

    private static List<EventType> types(RunView v) {
        return v.events().stream().map(JournalEvent::type).toList();
    }

    @Test
    void run_allStepsSucceed_journalsEveryStepAndSucceeds() {
        RunView v = h.deploy("staging", "c1");

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(h.target.steps(v.run().id())).containsExactlyInAnyOrder(StepName.BUILD, StepName.SNAPSHOT,
                StepName.STOP_OLD, StepName.MIGRATE, StepName.DEPLOY, StepName.VERIFY);
        assertThat(v.step("build").orElseThrow().outputs()).containsEntry("digest", "sha256:c1");
        assertThat(types(v)).startsWith(EventType.RUN_QUEUED, EventType.RUN_STARTED).endsWith(EventType.RUN_SUCCEEDED);
    }

    @Test
    void run_buildAndSnapshot_overlapInTimeAndBeatTheSequence() throws Exception {
        CountDownLatch snapshotStarted = new CountDownLatch(1);
        h.target.on(StepName.SNAPSHOT, ctx -> {
            snapshotStarted.countDown();
            pause(300);
            return Outputs.of("snapshot", "s1");
        }).on(StepName.BUILD, ctx -> {
            await(snapshotStarted); // fails the build if snapshot only starts after it
            pause(300);
            return Outputs.of("image", "i", "digest", "d");
        });

        RunView v = h.deploy("staging", "c1");

        RunView.StepView build = v.step("build").orElseThrow();
        RunView.StepView snapshot = v.step("snapshot").orElseThrow();
        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(build.startedAt()).isBefore(snapshot.endedAt());
        assertThat(snapshot.startedAt()).isBefore(build.endedAt());
        Duration both = Duration.between(min(build.startedAt(), snapshot.startedAt()), max(build.endedAt(), snapshot.endedAt()));
        assertThat(both).isLessThan(build.duration().orElseThrow().plus(snapshot.duration().orElseThrow()));
    }

    @Test
    void run_transientErrorTwice_retriesWithBackoffAndSucceeds() {
        AtomicInteger tries = new AtomicInteger();
        h.target.on(StepName.DEPLOY, ctx -> {
            if (tries.incrementAndGet() <= 2) {
                throw TargetException.transientFailure("throttled", null);
            }
            return Outputs.NONE;
        });

        RunView v = h.deploy("staging", "c1");

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(tries).hasValue(3);
        List<JournalEvent> retries = v.events().stream().filter(e -> e.type() == EventType.STEP_RETRYING).toList();
        assertThat(retries).extracting(e -> e.get("delayMs")).containsExactly("250", "500");
        assertThat(v.step("deploy").orElseThrow().attempts()).isEqualTo(1);
    }

    @Test
    void run_permanentError_failsAtOnceWithoutRetry() {
        h.target.on(StepName.SNAPSHOT, ctx -> {
            throw TargetException.permanent("database hello_staging unreachable");
        });

        RunView v = h.deploy("staging", "c1");

        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(h.target.count(StepName.SNAPSHOT)).isEqualTo(1);
        assertThat(v.reason()).isEqualTo("snapshot failed: database hello_staging unreachable; nothing on stage staging was changed");
        assertThat(h.target.count(StepName.STOP_OLD)).isZero();
        assertThat(h.target.count(StepName.COMPENSATE)).isZero();
    }

    @Test
    void run_transientErrorForever_givesUpAfterMaxAttempts() {
        Engine e = h.engine("fast", new Backoff(Duration.ofMillis(1), 2, Duration.ofMillis(4), 3));
        h.target.on(StepName.BUILD, ctx -> {
            throw TargetException.transientFailure("registry 503", null);
        });

        RunView v = e.run(e.request("staging", "c1", RunKind.DEPLOY, "t").id(), RunListener.NONE);

        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(h.target.count(StepName.BUILD)).isEqualTo(3);
        assertThat(v.reason()).contains("registry 503 (gave up after 3 attempt(s))");
    }

    @Test
    void run_failureAfterStopOld_compensatesAndEndsRolledBack() {
        h.deploy("staging", "c1");
        h.target.on(StepName.MIGRATE, ctx -> {
            throw TargetException.permanent("migration V5 failed: column x does not exist");
        });

        RunView v = h.deploy("staging", "c2");

        assertThat(v.state()).isEqualTo(RunState.ROLLED_BACK);
        assertThat(v.reason()).isEqualTo("migrate failed: migration V5 failed: column x does not exist");
        assertThat(h.target.steps(v.run().id())).contains(StepName.COMPENSATE).doesNotContain(StepName.DEPLOY);
        assertThat(h.target.lastRestoreFlag()).isFalse();
        assertThat(v.events().get(v.events().size() - 1).get("restored")).isEqualTo("run 1 (c1)");
        assertThat(v.state().exitCode()).isEqualTo(1);
    }

    @Test
    void run_compensationFails_endsNeedingAttentionWithExit3() {
        h.target.on(StepName.VERIFY, ctx -> {
            throw TargetException.permanent("replica 0 never became healthy");
        }).on(StepName.COMPENSATE, ctx -> {
            throw TargetException.permanent("previous image gone");
        });

        RunView v = h.deploy("staging", "c1");

        assertThat(v.state()).isEqualTo(RunState.NEEDS_ATTENTION);
        assertThat(v.reason()).contains("replica 0 never became healthy").contains("previous image gone");
        assertThat(v.state().exitCode()).isEqualTo(3);
    }

    @Test
    void run_stepTimesOut_failsNamingTheLimit() {
        h.target.on(StepName.BUILD, ctx -> {
            pause(20_000);
            return Outputs.NONE;
        });

        RunView v = h.deploy("staging", "c1");

        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(v.reason()).isEqualTo("build failed: build did not finish within 5.0s: interrupted; nothing on stage staging was changed");
    }

    @Test
    void run_stepTimesOutAndSaysWhyAsItStops_reasonKeepsItsWords() {
        h.target.on(StepName.BUILD, ctx -> {
            try {
                Thread.sleep(20_000);
            } catch (InterruptedException e) {
                throw TargetException.permanent("registry push was at layer 3 of 5");
            }
            return Outputs.NONE;
        });

        RunView v = h.deploy("staging", "c1");

        assertThat(v.reason()).startsWith("build failed: build did not finish within 5.0s: registry push was at layer 3 of 5");
    }

    @Test
    void runKey_differsBetweenJournalsThatReuseARunId(@TempDir Path other) throws Exception {
        java.util.List<String> keys = new java.util.concurrent.CopyOnWriteArrayList<>();
        h.target.on(StepName.DEPLOY, ctx -> {
            keys.add(ctx.runKey());
            return Outputs.NONE;
        });
        h.deploy("staging", "c1");
        try (EngineHarness second = new EngineHarness(other)) {
            second.target.on(StepName.DEPLOY, ctx -> {
                keys.add(ctx.runKey());
                return Outputs.NONE;
            });
            second.deploy("staging", "c1");
        }

        assertThat(keys).hasSize(2).allMatch(dev.slipway.core.journal.RunKeys::isKey).doesNotHaveDuplicates();
    }

    @Test
    void run_storeFailsMidRun_endsNeedingAPersonAndSaysHowToResume() {
        FailingJournal journal = new FailingJournal(h.journal());
        Engine e = h.engine("flaky", Backoff.RETRIES, journal);
        h.target.on(StepName.MIGRATE, ctx -> {
            journal.failAppends = true;
            return Outputs.NONE;
        });
        RunRecord r = e.request("staging", "c1", RunKind.DEPLOY, "t");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> e.run(r.id(), RunListener.NONE))
                .isInstanceOf(dev.slipway.core.SlipwayException.class)
                .hasMessageContaining("the state store failed while run " + r.id())
                .hasMessageContaining("slipway deploy staging --commit c1")
                .satisfies(x -> assertThat(((dev.slipway.core.SlipwayException) x).exitCode()).isEqualTo(3));
        journal.failAppends = false;

        RunView resumed = h.engine("later").run(r.id(), RunListener.NONE);
        assertThat(resumed.state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void run_leaseCannotBeRenewed_stopsTouchingTheStageWithoutCompensating() throws Exception {
        FailingJournal journal = new FailingJournal(h.journal());
        Engine e = h.engine("cut-off", Backoff.RETRIES, journal);
        CountDownLatch deploying = new CountDownLatch(1);
        h.target.on(StepName.DEPLOY, ctx -> {
            deploying.countDown();
            pause(20_000);
            return Outputs.NONE;
        });
        RunRecord r = e.request("staging", "c1", RunKind.DEPLOY, "t");
        CompletableFuture<RunView> run = CompletableFuture.supplyAsync(() -> e.run(r.id(), RunListener.NONE));
        await(deploying);

        journal.failHeartbeats = true;

        RunView v = run.get(10, TimeUnit.SECONDS);
        assertThat(v.state()).isEqualTo(RunState.RUNNING);
        assertThat(h.target.count(StepName.COMPENSATE)).isZero();
        assertThat(h.journal.logs(r.id())).extracting(l -> l.line()).anyMatch(l -> l.contains("could not renew the lease"));
    }

    @Test
    void run_secretInFailure_isMasked() {
        h.target.on(StepName.DEPLOY, ctx -> {
            String pw = ctx.appEnvironment().get("DATABASE_PASSWORD");
            ctx.log("connecting with " + pw);
            throw TargetException.permanent("auth failed for password " + pw);
        });

        RunView v = h.deploy("staging", "c1");

        assertThat(v.reason()).contains("auth failed for password ****").doesNotContain("pa55word-secret");
        assertThat(h.journal.logs(v.run().id())).extracting(l -> l.line()).contains("connecting with ****");
    }

    @Test
    void run_interruptedAfterStopOld_compensatesAndSaysWhy() throws Exception {
        CountDownLatch migrating = new CountDownLatch(1);
        h.target.on(StepName.MIGRATE, ctx -> {
            migrating.countDown();
            pause(20_000);
            return Outputs.NONE;
        });
        RunRecord r = h.request("staging", "c1");
        CompletableFuture<RunView> run = CompletableFuture.supplyAsync(() -> h.engine.run(r.id(), RunListener.NONE));
        await(migrating);

        h.engine.cancel("interrupted by SIGINT");

        RunView v = run.get(10, TimeUnit.SECONDS);
        assertThat(v.state()).isEqualTo(RunState.ROLLED_BACK);
        assertThat(types(v)).contains(EventType.RUN_INTERRUPTED, EventType.COMPENSATION_STARTED, EventType.ROLLED_BACK);
        assertThat(v.reason()).isEqualTo("interrupted by SIGINT");
    }

    @Test
    void queue_fiveRequestsBehindARunningOne_onlyTheNewestRuns() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        h.target.on(StepName.DEPLOY, ctx -> {
            if (ctx.commit().equals("c0")) {
                first.countDown();
                await(release);
            }
            return Outputs.NONE;
        });
        RunRecord running = h.request("staging", "c0");
        CompletableFuture<RunView> firstRun = CompletableFuture.supplyAsync(() -> h.engine.run(running.id(), RunListener.NONE));
        await(first);
        List<RunRecord> queued = List.of(1, 2, 3, 4, 5).stream()
                .map(i -> h.engine("other-" + i).request("staging", "c" + i, RunKind.DEPLOY, "dev" + i)).toList();
        List<CompletableFuture<RunView>> waiting = queued.stream().map(r -> CompletableFuture.supplyAsync(
                () -> h.engine("waiter-" + r.id()).run(r.id(), RunListener.NONE))).toList();

        release.countDown();

        assertThat(firstRun.get(10, TimeUnit.SECONDS).state()).isEqualTo(RunState.SUCCEEDED);
        List<RunState> states = waiting.stream().map(f -> f.join().state()).toList();
        assertThat(states).containsExactly(RunState.SUPERSEDED, RunState.SUPERSEDED, RunState.SUPERSEDED,
                RunState.SUPERSEDED, RunState.SUCCEEDED);
        assertThat(h.target.calls().stream().map(ScriptedTarget.Call::runId).distinct())
                .containsExactlyInAnyOrder(running.id(), queued.get(4).id());
        assertThat(h.engine.view(queued.get(0).id()).reason()).isEqualTo("superseded by run " + queued.get(4).id());
    }

    @Test
    void cancel_whileQueuedBehindAnotherRun_endsTheRequestWithoutRunningIt() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        h.target.on(StepName.DEPLOY, ctx -> {
            first.countDown();
            await(release);
            return Outputs.NONE;
        });
        RunRecord running = h.request("staging", "c0");
        CompletableFuture<RunView> firstRun = CompletableFuture.supplyAsync(() -> h.engine.run(running.id(), RunListener.NONE));
        await(first);
        Engine other = h.engine("other");
        RunRecord queued = other.request("staging", "c1", RunKind.DEPLOY, "dev");
        CompletableFuture<RunView> waiting = CompletableFuture.supplyAsync(() -> other.run(queued.id(), RunListener.NONE));

        other.cancel("interrupted by SIGINT");
        RunView v = waiting.get(10, TimeUnit.SECONDS);
        release.countDown();

        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(v.reason()).isEqualTo("cancelled before it started (interrupted by SIGINT); nothing was changed");
        assertThat(firstRun.get(10, TimeUnit.SECONDS).state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(h.target.steps(queued.id())).isEmpty();
    }

    @Test
    void request_sameCommitWhileUnfinished_joinsTheExistingRun() {
        RunRecord a = h.request("staging", "c1");
        RunRecord b = h.engine("other").request("staging", "c1", RunKind.DEPLOY, "someone");

        assertThat(b.id()).isEqualTo(a.id());
        assertThat(h.journal.runs("staging", 10)).hasSize(1);
    }

    @Test
    void lease_heldByAnExpiredForeignHolder_isTakenOverAfterExpiry() {
        h.request("staging", "c0");
        assertThat(h.journal.tryAcquire("staging", "other-host/b00t/1/x", 1, Duration.ofMillis(600), l -> false)).isPresent();

        long start = System.nanoTime();
        RunView v = h.engine.run(1, RunListener.NONE);

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(h.journal.lease("staging").orElseThrow().isFree()).isTrue();
    }

    @Test
    void approvals_twoDistinctApprovers_openTheGate() throws Exception {
        RunRecord r = h.engine.request("production", "c1", RunKind.DEPLOY, "alice");
        CompletableFuture<RunView> run = CompletableFuture.supplyAsync(() -> h.engine.run(r.id(), RunListener.NONE));
        Engine approver = h.engine("approver");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> approver.view(r.id()).state() == RunState.AWAITING_APPROVAL);

        assertThat(h.target.count(StepName.SNAPSHOT)).isZero();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> approver.approve(r.id(), "alice"))
                .hasMessageContaining("alice requested run " + r.id());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> approver.approve(r.id(), "mallory"))
                .hasMessageContaining("mallory may not approve");
        approver.approve(r.id(), "bob");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> approver.approve(r.id(), "bob"))
                .hasMessageContaining("bob already approved");
        approver.approve(r.id(), "carol");

        RunView v = run.get(10, TimeUnit.SECONDS);
        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(v.step("approval").orElseThrow().outputs()).containsEntry("digest", "sha256:c1");
    }

    @Test
    void approvals_nobodyApproves_failsAfterTimeoutChangingNothing() {
        RunView v = h.engine.run(h.engine.request("production", "c1", RunKind.DEPLOY, "alice").id(), RunListener.NONE);

        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(v.reason()).contains("approval did not finish within 3.0s");
        assertThat(h.target.count(StepName.STOP_OLD)).isZero();
    }

    @Test
    void rollback_goesBackToTheReleaseBeforeWithItsImageAndNoMigration() {
        h.deploy("staging", "c1");
        h.deploy("staging", "c2");

        RunRecord rb = h.engine.requestRollback("staging", "ops");
        RunView v = h.engine.run(rb.id(), RunListener.NONE);

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(rb.commit()).isEqualTo("c1");
        assertThat(h.target.steps(rb.id())).doesNotContain(StepName.BUILD, StepName.MIGRATE).contains(StepName.DEPLOY);
        assertThat(v.step("build").orElseThrow().outputs()).containsEntry("digest", "sha256:c1");
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms); // simulates a step's work; the engine must interrupt it when cancelling
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TargetException.permanent("interrupted");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(5, TimeUnit.SECONDS)) {
                throw TargetException.permanent("latch not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TargetException.permanent("interrupted");
        }
    }

    private static java.time.Instant min(java.time.Instant a, java.time.Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static java.time.Instant max(java.time.Instant a, java.time.Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
