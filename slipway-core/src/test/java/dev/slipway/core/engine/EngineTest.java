package dev.slipway.core.engine;

import static dev.slipway.core.testing.Latches.await;
import static dev.slipway.core.testing.Latches.awaitIgnoringInterrupts;
import static dev.slipway.core.testing.Latches.blockUntilInterrupted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.slipway.core.SlipwayException;
import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.Lease;
import dev.slipway.core.journal.LogLine;
import dev.slipway.core.journal.RunKeys;
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
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline of one run: steps, retries, timeouts, failures and compensation, cancelling, the queue. */
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

    static List<EventType> types(List<JournalEvent> events) {
        return events.stream().map(JournalEvent::type).toList();
    }

    static List<EventType> types(RunView v) {
        return types(v.events());
    }

    private Background<RunView> start(Engine engine, RunRecord run) {
        return Background.start("run-" + run.id(), () -> engine.run(run.id(), RunListener.NONE));
    }

    @Test
    void run_allStepsSucceed_journalsEveryStepAndSucceeds() {
        RunView v = h.deploy("staging", "c1");

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        // a migration command without migrations.files is breaking (unknown): preflight, then the stop-first order
        assertThat(h.target.steps(v.run().id())).containsExactlyInAnyOrder(StepName.BUILD, StepName.SNAPSHOT,
                StepName.PREFLIGHT, StepName.STOP_OLD, StepName.MIGRATE, StepName.DEPLOY, StepName.VERIFY);
        assertThat(v.step("classify").orElseThrow().outputs()).containsEntry("class", "breaking")
                .containsEntry("strategy", "stop-first").containsEntry("reasons", Assessment.NO_FILES);
        assertThat(v.step("build").orElseThrow().outputs()).containsEntry("digest", "sha256:c1");
        assertThat(types(v)).startsWith(EventType.RUN_QUEUED, EventType.RUN_STARTED).endsWith(EventType.RUN_SUCCEEDED);
    }

    @Test
    void run_buildAndSnapshot_runAtTheSameTime() {
        CountDownLatch buildStarted = new CountDownLatch(1);
        CountDownLatch snapshotStarted = new CountDownLatch(1);
        h.target.on(StepName.SNAPSHOT, ctx -> {
            snapshotStarted.countDown();
            await(buildStarted); // ends only once build runs too: one after the other, neither would finish
            return Outputs.of("snapshot", "s1");
        }).on(StepName.BUILD, ctx -> {
            buildStarted.countDown();
            await(snapshotStarted);
            return Outputs.of("image", "i", "digest", "d");
        });

        RunView v = h.deploy("staging", "c1");

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(v.step("snapshot").orElseThrow().outputs()).containsEntry("snapshot", "s1");
    }

    /** Finding 3: a failed build must not end the run (nor free the stage) while the snapshot beside it still acts. */
    @Test
    void run_buildFailsWhileSnapshotRuns_endsOnlyAfterTheSnapshotHasStopped() throws Exception {
        CountDownLatch snapshotStarted = new CountDownLatch(1);
        CountDownLatch snapshotInterrupted = new CountDownLatch(1);
        CountDownLatch snapshotMayEnd = new CountDownLatch(1);
        AtomicReference<List<EventType>> journaledWhenSnapshotEnded = new AtomicReference<>();
        AtomicReference<Optional<Lease>> leaseWhenSnapshotEnded = new AtomicReference<>();
        RunRecord r = h.request("staging", "c1");
        h.target.on(StepName.SNAPSHOT, ctx -> {
            snapshotStarted.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                snapshotInterrupted.countDown();
            }
            awaitIgnoringInterrupts(snapshotMayEnd); // a pg_dump takes a moment to stop
            journaledWhenSnapshotEnded.set(types(h.journal.events(r.id())));
            leaseWhenSnapshotEnded.set(h.journal.lease("staging"));
            throw TargetException.permanent("pg_dump stopped");
        }).on(StepName.BUILD, ctx -> {
            await(snapshotStarted);
            throw TargetException.permanent("Dockerfile not found");
        });
        Engine e = h.engine("slow-stop", p -> p.leaseTtl = Duration.ofMinutes(1)); // a stop window of 15s: time to look

        Background<RunView> run = start(e, r);
        await(snapshotInterrupted);
        await().atMost(Duration.ofSeconds(10)).until(run::parkedOrDone); // the engine has done all it does by itself
        assertThat(types(h.journal.events(r.id()))).doesNotContain(EventType.RUN_FAILED);
        assertThat(h.journal.lease("staging")).hasValueSatisfying(l -> assertThat(l.isFree()).isFalse());
        snapshotMayEnd.countDown();

        RunView v = run.get();
        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(v.reason()).isEqualTo("build failed: Dockerfile not found; nothing on stage staging was changed");
        assertThat(journaledWhenSnapshotEnded.get()).doesNotContain(EventType.RUN_FAILED);
        assertThat(leaseWhenSnapshotEnded.get()).hasValueSatisfying(l -> assertThat(l.isFree()).isFalse());
        List<JournalEvent> events = v.events();
        int snapshotFailed = indexOf(events, EventType.STEP_FAILED, "snapshot");
        assertThat(snapshotFailed).isGreaterThan(0).isLessThan(indexOf(events, EventType.RUN_FAILED, null));
        assertThat(h.journal.lease("staging").orElseThrow().isFree()).isTrue();
    }

    private static int indexOf(List<JournalEvent> events, EventType type, String step) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).type() == type && (step == null || step.equals(events.get(i).step()))) {
                return i;
            }
        }
        return -1;
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
        assertThat(h.clock.elapsed()).as("the backoff waited on the engine's clock").isGreaterThanOrEqualTo(Duration.ofMillis(750));
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
        Engine e = h.engine("fast", p -> p.retries = new Backoff(Duration.ofMillis(1), 2, Duration.ofMillis(4), 3));
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

    /** Finding 5: a compensation that brought nothing back is not a rollback when something served before. */
    @Test
    void run_compensationRestoresNothingAfterARelease_endsNeedingAttentionSayingNothingCameBack() {
        h.deploy("staging", "c1");
        h.target.on(StepName.VERIFY, ctx -> {
            throw TargetException.permanent("replica 0 never became healthy");
        }).on(StepName.COMPENSATE, ctx -> Outputs.of("restored", "none"));

        RunView v = h.deploy("staging", "c2");

        assertThat(v.state()).isEqualTo(RunState.NEEDS_ATTENTION);
        assertThat(v.reason()).contains("replica 0 never became healthy")
                .contains("run 1 (c1) served stage staging before this run, but nothing was brought back")
                .contains("slipway deploy staging --commit c1");
        assertThat(types(v)).doesNotContain(EventType.ROLLED_BACK);
    }

    @Test
    void run_compensationRestoresNothingOnAFirstDeploy_endsRolledBack() {
        h.target.on(StepName.VERIFY, ctx -> {
            throw TargetException.permanent("replica 0 never became healthy");
        }).on(StepName.COMPENSATE, ctx -> Outputs.of("restored", "none"));

        RunView v = h.deploy("staging", "c1");

        assertThat(v.state()).isEqualTo(RunState.ROLLED_BACK);
        assertThat(v.events().get(v.events().size() - 1).get("restored")).isEqualTo("nothing (nothing served the stage before this run)");
    }

    @Test
    void run_compensationRestoresNothingButStopOldHadStoppedInstances_endsNeedingAttention() {
        h.target.on(StepName.STOP_OLD, ctx -> Outputs.of("stopped", "2"))
                .on(StepName.VERIFY, ctx -> {
                    throw TargetException.permanent("replica 0 never became healthy");
                }).on(StepName.COMPENSATE, ctx -> Outputs.of("restored", "none"));

        RunView v = h.deploy("staging", "c1");

        assertThat(v.state()).isEqualTo(RunState.NEEDS_ATTENTION);
        assertThat(v.reason()).contains("2 instance(s) of an earlier release served stage staging before this run");
    }

    @Test
    void run_stepTimesOut_failsNamingTheLimit() throws Exception {
        CountDownLatch building = new CountDownLatch(1);
        h.target.on(StepName.BUILD, ctx -> {
            building.countDown();
            return blockUntilInterrupted();
        });
        Background<RunView> run = start(h.engine, h.request("staging", "c1"));
        await(building);

        h.clock.advance(Duration.ofSeconds(6));

        RunView v = run.get();
        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(v.reason()).isEqualTo("build failed: build did not finish within 5.0s: interrupted; nothing on stage staging was changed");
    }

    @Test
    void run_stepTimesOutAndSaysWhyAsItStops_reasonKeepsItsWords() throws Exception {
        CountDownLatch building = new CountDownLatch(1);
        h.target.on(StepName.BUILD, ctx -> {
            building.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                throw TargetException.permanent("registry push was at layer 3 of 5");
            }
            return Outputs.NONE;
        });
        Background<RunView> run = start(h.engine, h.request("staging", "c1"));
        await(building);

        h.clock.advance(Duration.ofSeconds(6));

        assertThat(run.get().reason()).startsWith("build failed: build did not finish within 5.0s: registry push was at layer 3 of 5");
    }

    @Test
    void run_clockShortOfTheTimeout_stepKeepsRunning() throws Exception {
        CountDownLatch building = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        h.target.on(StepName.BUILD, ctx -> {
            building.countDown();
            await(finish);
            return Outputs.of("image", "i", "digest", "d");
        });
        Background<RunView> run = start(h.engine, h.request("staging", "c1"));
        await(building);

        h.clock.advance(Duration.ofMillis(4900));
        finish.countDown();

        assertThat(run.get().state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void runKey_differsBetweenJournalsThatReuseARunId(@TempDir Path other) throws Exception {
        List<String> keys = new CopyOnWriteArrayList<>();
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

        assertThat(keys).hasSize(2).allMatch(RunKeys::isKey).doesNotHaveDuplicates();
    }

    @Test
    void run_storeFailsMidRun_endsNeedingAPersonAndSaysHowToResume() {
        FailingJournal journal = new FailingJournal(h.journal());
        Engine e = h.engine("flaky", p -> p.journal = journal);
        h.target.on(StepName.MIGRATE, ctx -> {
            journal.failAppends = true;
            return Outputs.NONE;
        });
        RunRecord r = e.request("staging", "c1", RunKind.DEPLOY, "t");

        assertThatThrownBy(() -> e.run(r.id(), RunListener.NONE))
                .isInstanceOf(SlipwayException.class)
                .hasMessageContaining("the state store failed while run " + r.id())
                .hasMessageContaining("slipway deploy staging --commit c1")
                .satisfies(x -> assertThat(((SlipwayException) x).exitCode()).isEqualTo(3));
        journal.failAppends = false;

        RunView resumed = h.engine("later").run(r.id(), RunListener.NONE);
        assertThat(resumed.state()).isEqualTo(RunState.SUCCEEDED);
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
        assertThat(h.journal.logs(v.run().id())).extracting(LogLine::line).contains("connecting with ****");
    }

    @Test
    void run_secretPrintedByAStepThatNeverResolvedIt_isMaskedInLogsEventsAndReason() {
        h.target.on(StepName.MIGRATE, ctx -> {
            ctx.log("DSN=app:pa55word-secret@db");
            throw TargetException.permanent("migration said pa55word-secret");
        });

        RunView v = h.deploy("staging", "c1");

        assertThat(h.journal.logs(v.run().id())).extracting(LogLine::line).contains("DSN=app:****@db");
        assertThat(v.events()).allSatisfy(e -> assertThat(e.data().toString()).doesNotContain("pa55word-secret"));
        assertThat(v.reason()).contains("migration said ****");
        assertThat(h.engine.mask("x pa55word-secret y")).isEqualTo("x **** y");
    }

    @Test
    void run_interruptedAfterStopOld_compensatesAndSaysWhy() throws Exception {
        CountDownLatch migrating = new CountDownLatch(1);
        h.target.on(StepName.MIGRATE, ctx -> {
            migrating.countDown();
            return blockUntilInterrupted();
        });
        Background<RunView> run = start(h.engine, h.request("staging", "c1"));
        await(migrating);

        h.engine.cancel("interrupted by SIGINT");

        RunView v = run.get();
        assertThat(v.state()).isEqualTo(RunState.ROLLED_BACK);
        assertThat(types(v)).contains(EventType.RUN_INTERRUPTED, EventType.COMPENSATION_STARTED, EventType.ROLLED_BACK);
        assertThat(v.reason()).isEqualTo("interrupted by SIGINT");
    }

    /** Found by the chaos suite: SIGTERM while the local target checked the stage's containers gave exit 3 and a bug report. */
    @Test
    void run_interruptedWhileTheTargetClaimsTheStage_failsAsInterruptedChangingNothing() throws Exception {
        CountDownLatch claiming = new CountDownLatch(1);
        h.target.onClaim(ctx -> {
            claiming.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                throw new java.util.concurrent.CancellationException(); // what the container engine's HTTP client throws
            }
        });
        Background<RunView> run = start(h.engine, h.request("staging", "c1"));
        await(claiming);

        h.engine.cancel("interrupted by SIGTERM");

        RunView v = run.get();
        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(v.reason()).isEqualTo("interrupted by SIGTERM; nothing on stage staging was changed");
        assertThat(types(v)).contains(EventType.RUN_INTERRUPTED);
        assertThat(h.target.calls()).isEmpty();
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
        Background<RunView> firstRun = start(h.engine, running);
        await(first);
        List<RunRecord> queued = List.of(1, 2, 3, 4, 5).stream()
                .map(i -> h.engine.request("staging", "c" + i, RunKind.DEPLOY, "dev" + i)).toList();
        List<Background<RunView>> waiting = queued.stream().map(r -> start(h.engine("waiter-" + r.id()), r)).toList();

        release.countDown();

        assertThat(firstRun.get().state()).isEqualTo(RunState.SUCCEEDED);
        List<RunState> states = waiting.stream().map(w -> w.result().join().state()).toList();
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
        Background<RunView> firstRun = start(h.engine, running);
        await(first);
        Engine other = h.engine("other");
        RunRecord queued = other.request("staging", "c1", RunKind.DEPLOY, "dev");
        Background<RunView> waiting = start(other, queued);

        other.cancel("interrupted by SIGINT");
        RunView v = waiting.get();
        release.countDown();

        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(v.reason()).isEqualTo("cancelled before it started (interrupted by SIGINT); nothing was changed");
        assertThat(firstRun.get().state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(h.target.steps(queued.id())).isEmpty();
    }

    /** A signal between queueing the request and driving it (the CLI's deploy does one, then the other). */
    @Test
    void cancel_afterRequestBeforeRun_endsTheRequestWithoutRunningIt() {
        RunRecord r = h.request("staging", "c1");

        h.engine.cancel("interrupted by SIGINT");
        RunView v = h.engine.run(r.id(), RunListener.NONE);

        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(v.reason()).isEqualTo("cancelled before it started (interrupted by SIGINT); nothing was changed");
        assertThat(h.target.calls()).isEmpty();
        assertThat(types(v)).containsExactly(EventType.RUN_QUEUED, EventType.RUN_FAILED);
        assertThat(h.journal.lease("staging").map(Lease::isFree).orElse(true)).isTrue();
    }

    /** A cancel belongs to the run it stopped: a later run of the same engine (a long-lived process) runs normally. */
    @Test
    void run_afterAnInterruptedRunOfTheSameEngine_startsUncancelledAndSucceeds() throws Exception {
        CountDownLatch migrating = new CountDownLatch(1);
        h.target.on(StepName.MIGRATE, ctx -> {
            migrating.countDown();
            return blockUntilInterrupted();
        });
        Background<RunView> first = start(h.engine, h.request("staging", "c1"));
        await(migrating);
        h.engine.cancel("interrupted by SIGINT");
        assertThat(first.get().state()).isEqualTo(RunState.ROLLED_BACK);
        h.target.on(StepName.MIGRATE, ctx -> Outputs.NONE);

        RunView v = h.deploy("staging", "c2");

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(types(v)).doesNotContain(EventType.RUN_INTERRUPTED);
    }

    /** A cancel before run() (a signal during start-up) ends that run; the engine's next run is not cancelled by it. */
    @Test
    void run_afterARunCancelledBeforeItStarted_startsUncancelledAndSucceeds() {
        RunRecord r = h.request("staging", "c1");
        h.engine.cancel("interrupted by SIGTERM");
        assertThat(h.engine.run(r.id(), RunListener.NONE).state()).isEqualTo(RunState.FAILED);

        RunView v = h.deploy("staging", "c2");

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void request_sameCommitWhileUnfinished_joinsTheExistingRun() {
        RunRecord a = h.request("staging", "c1");
        RunRecord b = h.engine("other").request("staging", "c1", RunKind.DEPLOY, "someone");

        assertThat(b.id()).isEqualTo(a.id());
        assertThat(h.journal.runs("staging", 10)).hasSize(1);
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

    /** Finding 7: releases are found however many failed runs followed them (an old scan looked at the newest 200). */
    @Test
    void releases_olderThan250FailedRuns_areStillFoundForRollbackAndCompensation() {
        h.deploy("staging", "c1");
        h.deploy("staging", "c2");
        h.history("staging", RunState.FAILED, 250);

        assertThat(h.engine.currentRelease("staging")).hasValueSatisfying(r -> assertThat(r.commit()).isEqualTo("c2"));
        assertThat(h.engine.requestRollback("staging", "ops").commit()).isEqualTo("c1");
    }
}
