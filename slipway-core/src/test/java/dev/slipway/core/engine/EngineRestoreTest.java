package dev.slipway.core.engine;

import static dev.slipway.core.testing.Latches.await;
import static dev.slipway.core.testing.Latches.blockUntilInterrupted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.slipway.core.SlipwayException;
import dev.slipway.core.journal.Fence;
import dev.slipway.core.journal.Lease;
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
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding 7: {@code snapshots restore} is a journaled run under the stage lease, like a deploy. */
class EngineRestoreTest {
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

    private RunRecord lastRun() {
        return h.journal.runs("staging", 1).get(0);
    }

    @Test
    void restore_snapshot_runsUnderTheLeaseAsAJournaledRestoreRun() {
        AtomicReference<Optional<Lease>> leaseDuringRestore = new AtomicReference<>();
        h.target.on(StepName.RESTORE, ctx -> {
            leaseDuringRestore.set(h.journal.lease("staging"));
            ctx.log("pg_restore: 12 tables");
            return Outputs.NONE;
        });
        List<String> log = new CopyOnWriteArrayList<>();

        h.engine.restore("staging", "snap-1", "ops", log::add);

        RunRecord run = lastRun();
        assertThat(run.kind()).isEqualTo(RunKind.RESTORE);
        assertThat(h.engine.view(run.id()).state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(h.target.restored()).containsExactly("snap-1");
        assertThat(leaseDuringRestore.get()).hasValueSatisfying(l -> {
            assertThat(l.holder()).isEqualTo("main");
            assertThat(l.runId()).isEqualTo(run.id());
        });
        assertThat(log).contains("pg_restore: 12 tables");
        assertThat(h.journal.lease("staging").orElseThrow().isFree()).isTrue();
        assertThat(h.engine.currentRelease("staging")).as("a restore is no release").isEmpty();
    }

    @Test
    void restore_whileAnotherProcessHoldsTheStage_waitsForIt() throws Exception {
        Fence foreign = h.journal.tryAcquire("staging", "other-host/b00t/1/x", 99, Duration.ofHours(1), l -> false).orElseThrow();

        Background<Object> restore = Background.start("restore", () -> {
            h.engine.restore("staging", "snap-1", "ops", line -> { });
            return null;
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> h.clock.waits() >= 20);
        assertThat(h.target.restored()).isEmpty();
        h.journal.release(foreign);

        restore.get();
        assertThat(h.target.restored()).containsExactly("snap-1");
    }

    @Test
    void restore_targetFails_endsNeedingAttentionAndSaysTheDatabaseMayBePartlyRestored() {
        h.target.on(StepName.RESTORE, ctx -> {
            throw TargetException.permanent("pg_restore: error: could not execute query");
        });

        assertThatThrownBy(() -> h.engine.restore("staging", "snap-1", "ops", line -> { }))
                .isInstanceOf(SlipwayException.class)
                .satisfies(e -> assertThat(((SlipwayException) e).exitCode()).isEqualTo(3))
                .hasMessageStartingWith("restore of snapshot snap-1 into stage staging (run " + lastRun().id() + ") ended NEEDS_ATTENTION: "
                        + "restoring snapshot snap-1 failed: pg_restore: error: could not execute query")
                .hasMessageContaining("may be partly restored")
                .hasMessageNotContaining("null");
        assertThat(h.engine.view(lastRun().id()).state()).isEqualTo(RunState.NEEDS_ATTENTION);
    }

    @Test
    void restore_interrupted_endsNeedingAttentionNotAsIfNothingChanged() throws Exception {
        CountDownLatch restoring = new CountDownLatch(1);
        h.target.on(StepName.RESTORE, ctx -> {
            restoring.countDown();
            return blockUntilInterrupted();
        });
        Background<Object> restore = Background.start("restore", () -> {
            h.engine.restore("staging", "snap-1", "ops", line -> { });
            return null;
        });
        await(restoring);

        h.engine.cancel("interrupted by SIGINT");

        assertThatThrownBy(restore::get).hasCauseInstanceOf(SlipwayException.class);
        RunView v = h.engine.view(lastRun().id());
        assertThat(v.state()).isEqualTo(RunState.NEEDS_ATTENTION);
        assertThat(v.reason()).contains("interrupted by SIGINT").contains("may be partly restored")
                .doesNotContain("was changed");
    }

    /** A queued restore is not a deploy: a deploy queued after it does not supersede it, nor it a deploy queued before. */
    @Test
    void queue_restoreBetweenQueuedDeploys_nothingIsSupersededAndRequestOrderIsKept() throws Exception {
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
        Background<RunView> c0 = Background.start("c0", () -> h.engine.run(running.id(), RunListener.NONE));
        await(first);
        RunRecord c1 = h.request("staging", "c1");
        RunRecord restore = h.engine.requestRestore("staging", "snap-1", "ops");
        RunRecord c2 = h.request("staging", "c2");
        List<Background<RunView>> waiting = List.of(c1, restore, c2).stream().map(r -> Background.start("w" + r.id(),
                () -> h.engine("waiter-" + r.id()).run(r.id(), RunListener.NONE))).toList();

        release.countDown();

        assertThat(c0.get().state()).isEqualTo(RunState.SUCCEEDED);
        List<RunState> states = waiting.stream().map(w -> w.result().join().state()).toList();
        assertThat(states).containsExactly(RunState.SUCCEEDED, RunState.SUCCEEDED, RunState.SUCCEEDED);
        List<Long> order = h.target.calls().stream().filter(c -> c.step() == StepName.DEPLOY || c.step() == StepName.RESTORE)
                .map(ScriptedTarget.Call::runId).toList();
        assertThat(order).containsExactly(running.id(), c1.id(), restore.id(), c2.id());
    }
}
