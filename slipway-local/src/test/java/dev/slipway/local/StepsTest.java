package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.TargetException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The container steps against {@link FakeContainers}. */
class StepsTest {
    private final FakeContainers engine = new FakeContainers();
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final HealthWaits alwaysHealthy = ctx -> new HealthWait(url -> 200, engine, ctx.clock(), d -> { });

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    private FixedContext ctx(long run, int replicas, StepName step) {
        FixedContext ctx = new FixedContext(Specs.local("host", replicas), "staging", run, "commit" + run);
        ctx.env.put("DB_PASSWORD", "secret");
        return ctx.with(StepName.BUILD, Outputs.of("image", "hello:commit" + run, "imageId", "sha256:new" + run)).at(step);
    }

    @Test
    void stopOld_runningRelease_createsNewContainersBeforeStoppingTheOldAndDescribesThem() {
        engine.add("hello-staging-4-0", "running", Specs.labels(4, Labels.SERVER, 0));
        engine.add("hello-staging-4-1", "running", Specs.labels(4, Labels.SERVER, 1));

        Outputs out = new StopOldStep(engine, pool).run(ctx(5, 2, StepName.STOP_OLD));

        assertThat(engine.calls.subList(0, 2)).containsExactly("create hello-staging-5-0", "create hello-staging-5-1");
        assertThat(engine.calls.subList(2, 4)).containsExactlyInAnyOrder("stop hello-staging-4-0 7s", "stop hello-staging-4-1 7s");
        PreviousRelease previous = PreviousRelease.fromOutputs(out).orElseThrow();
        assertThat(previous.runId()).isEqualTo(4);
        assertThat(previous.containers()).containsExactly("id-hello-staging-4-0", "id-hello-staging-4-1");
        assertThat(previous.image()).isEqualTo("img-4");
        assertThat(out.require("stopped")).isEqualTo("2");
    }

    @Test
    void stopOld_calledAgainAfterACrash_reusesItsContainersAndDescribesTheSameRelease() {
        engine.add("hello-staging-4-0", "running", Specs.labels(4, Labels.SERVER, 0));
        FixedContext ctx = ctx(5, 1, StepName.STOP_OLD);
        ctx.previous = new StepContext.Release(4, "4", "commit4", Outputs.NONE, Outputs.NONE);
        Outputs first = new StopOldStep(engine, pool).run(ctx);

        Outputs second = new StopOldStep(engine, pool).run(ctx);

        assertThat(second.values()).containsAllEntriesOf(Map.of("previousRun", "4", "previousContainers", "id-hello-staging-4-0",
                "newContainers", first.require("newContainers"), "stopped", "0"));
        assertThat(engine.calls).filteredOn(c -> c.startsWith("create")).hasSize(1);
    }

    @Test
    void stopOld_containersOfTheSameRunNumberFromAnotherJournal_areStoppedAsTheOldReleaseNotReused() {
        Map<String, String> foreign = new java.util.HashMap<>(Specs.labels(1, Labels.SERVER, 0));
        foreign.put(Labels.RUN_KEY, "1.oldjournal");
        engine.add("hello-staging-1-oldjournal-0", "running", foreign);
        FixedContext ctx = ctx(1, 1, StepName.STOP_OLD);
        ctx.runKey = "1.newjournal";

        Outputs out = new StopOldStep(engine, pool).run(ctx);

        assertThat(out.values()).containsEntry("previousRunKey", "1.oldjournal").containsEntry("stopped", "1");
        assertThat(engine.calls).anyMatch(c -> c.startsWith("create hello-staging-1-newjournal-0"));
        assertThat(engine.boxes.get("id-hello-staging-1-oldjournal-0").state()).isEqualTo("exited");
    }

    @Test
    void stopOld_leftoversOfOtherRuns_areKeptUntilTheNewReleaseIsVerified() {
        engine.add("hello-staging-2-0", "exited", Specs.labels(2, Labels.SERVER, 0));
        engine.add("hello-staging-3-migrate", "exited", Specs.labels(3, Labels.MIGRATE, 0));
        engine.add("hello-staging-3-0", "running", Specs.labels(3, Labels.SERVER, 0));

        new StopOldStep(engine, pool).run(ctx(5, 1, StepName.STOP_OLD));

        assertThat(engine.calls).noneMatch(c -> c.startsWith("remove"));
        assertThat(engine.boxes.get("id-hello-staging-3-0").state()).isEqualTo("exited");
    }

    @Test
    void stopOld_resumedAfterItHadStoppedTheOldReleaseAndNoJournaledRelease_namesTheStoppedReleaseAgain() {
        String old = Specs.key(4);
        engine.add("hello-staging-old-0", "running", Specs.labels(old, 4, Labels.SERVER, 0));
        engine.add("hello-staging-old-1", "running", Specs.labels(old, 4, Labels.SERVER, 1));
        FixedContext ctx = ctx(5, 2, StepName.STOP_OLD);
        ctx.runKey = Specs.key(5);
        new StopOldStep(engine, pool).run(ctx); // the process died here, before stop-old's success was journaled

        Outputs resumed = new StopOldStep(engine, pool).run(ctx);

        assertThat(resumed.values()).containsEntry("previous", old).containsEntry("stopped", "0")
                .containsEntry("previousContainers", "id-hello-staging-old-0,id-hello-staging-old-1");
        assertThat(engine.boxes).containsKeys("id-hello-staging-old-0", "id-hello-staging-old-1");
    }

    @Test
    void compensate_noStopOldOutputsAfterACrashInStopOld_startsTheStoppedPreviousReleaseAgain() {
        String old = Specs.key(4);
        engine.add("hello-staging-old-0", "running", Specs.labels(old, 4, Labels.SERVER, 0));
        FixedContext stopOld = ctx(5, 1, StepName.STOP_OLD);
        stopOld.runKey = Specs.key(5);
        new StopOldStep(engine, pool).run(stopOld); // the process died here, before stop-old's success was journaled
        FixedContext compensate = ctx(5, 1, StepName.COMPENSATE);
        compensate.runKey = Specs.key(5);

        Outputs out = new CompensateStep(engine, null, alwaysHealthy).run(compensate, false);

        assertThat(out.require("restored")).isEqualTo(old);
        assertThat(engine.boxes.values()).extracting(b -> b.name() + " " + b.state()).containsExactly("hello-staging-old-0 running");
    }

    @Test
    void migrate_nonZeroExit_failsWithTheOutputTail() {
        engine.followOutput = List.of("applying V5", "ERROR: column \"greeting_ref\" does not exist");
        engine.followExit = 1L;
        FixedContext ctx = ctx(5, 1, StepName.MIGRATE);

        assertThatThrownBy(() -> new MigrateStep(engine).run(ctx))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("exited with code 1 in container hello-staging-5-migrate")
                .hasMessageContaining("| ERROR: column \"greeting_ref\" does not exist");
        assertThat(ctx.log).contains("applying V5");
        Containers.Spec spec = engine.specs.values().iterator().next();
        assertThat(spec.entrypoint()).containsExactly("java");
        assertThat(spec.cmd()).containsExactly("-jar", "/app/hello.jar", "migrate");
        assertThat(spec.image()).isEqualTo("sha256:new5");
        assertThat(spec.env()).containsEntry("STAGE", "staging").containsEntry("GREETING", "hi");
        assertThat(spec.labels()).containsEntry("slipway.run-key", "5").containsEntry("slipway.journal", "testjournal")
                .containsEntry("slipway.journal-at", "sqlite:/project/.slipway/state.db");
    }

    @Test
    void migrate_deadlinePassed_killsTheContainerAndFails() {
        engine.followOutput = List.of("waiting for lock");
        engine.followExit = null;

        assertThatThrownBy(() -> new MigrateStep(engine).run(ctx(5, 1, StepName.MIGRATE)))
                .hasMessageContaining("did not finish within 30 s (migrations.timeout)")
                .hasMessageContaining("| waiting for lock");
        assertThat(engine.calls).contains("remove hello-staging-5-migrate");
    }

    @Test
    void migrate_alreadyExitedZero_succeedsWithoutRunningAgain() {
        engine.add("hello-staging-5-migrate", "exited", Specs.labels(5, Labels.MIGRATE, 0));

        Outputs out = new MigrateStep(engine).run(ctx(5, 1, StepName.MIGRATE));

        assertThat(out.require("exitCode")).isEqualTo("0");
        assertThat(engine.calls).noneMatch(c -> c.startsWith("start") || c.startsWith("create"));
    }

    @Test
    void deployThenVerify_newRelease_startsReplicasThenRemovesEveryOtherRunsServersAndFinishedMigrations() {
        engine.add("hello-staging-3-0", "exited", Specs.labels(3, Labels.SERVER, 0));
        engine.add("hello-staging-4-0", "running", Specs.labels(4, Labels.SERVER, 0));
        engine.add("hello-staging-4-migrate", "exited", Specs.labels(4, Labels.MIGRATE, 0));
        new StopOldStep(engine, pool).run(ctx(5, 2, StepName.STOP_OLD));
        engine.add("hello-staging-5-migrate", "exited", Specs.labels(5, Labels.MIGRATE, 0));

        Outputs deployed = new DeployStep(engine).run(ctx(5, 2, StepName.DEPLOY));
        assertThat(engine.boxes).hasSize(6);
        Outputs verified = new VerifyStep(engine, alwaysHealthy).run(ctx(5, 2, StepName.VERIFY));

        assertThat(deployed.require("ports")).isEqualTo("19000,19001");
        assertThat(verified.require("urls")).isEqualTo("http://127.0.0.1:19000/healthz,http://127.0.0.1:19001/healthz");
        assertThat(engine.boxes.values()).extracting(Containers.Box::name).containsExactly("hello-staging-5-0", "hello-staging-5-1");
    }

    @Test
    void verify_newReleaseNeverHealthy_removesNothingOfThePreviousRelease() {
        engine.add("hello-staging-4-0", "running", Specs.labels(4, Labels.SERVER, 0));
        new StopOldStep(engine, pool).run(ctx(5, 1, StepName.STOP_OLD));
        new DeployStep(engine).run(ctx(5, 1, StepName.DEPLOY));
        TickingClock clock = new TickingClock();
        HealthWaits unhealthy = ctx -> new HealthWait(url -> 503, engine, clock, clock::advance);
        FixedContext verify = ctx(5, 1, StepName.VERIFY);
        verify.clock = clock;

        assertThatThrownBy(() -> new VerifyStep(engine, unhealthy).run(verify.at(StepName.VERIFY))).isInstanceOf(TargetException.class);
        assertThat(engine.boxes).containsKey("id-hello-staging-4-0");
    }

    @Test
    void compensate_afterStopOld_removesTheRunsContainersAndStartsThePreviousOnesAgain() {
        engine.add("hello-staging-4-0", "running", Specs.labels(4, Labels.SERVER, 0));
        engine.add("hello-staging-4-1", "running", Specs.labels(4, Labels.SERVER, 1));
        Outputs stopped = new StopOldStep(engine, pool).run(ctx(5, 2, StepName.STOP_OLD));
        new DeployStep(engine).run(ctx(5, 2, StepName.DEPLOY));
        engine.calls.clear();

        Outputs out = new CompensateStep(engine, null, alwaysHealthy)
                .run(ctx(5, 2, StepName.COMPENSATE).with(StepName.STOP_OLD, stopped), false);

        assertThat(engine.calls).containsExactly("remove hello-staging-5-0", "remove hello-staging-5-1",
                "start hello-staging-4-0", "start hello-staging-4-1");
        assertThat(out.require("restored")).isEqualTo("4");
    }

    @Test
    void compensate_previousContainerRemovedByHand_recreatesItFromThePreviousImage() {
        engine.add("hello-staging-4-0", "exited", Specs.labels(4, Labels.SERVER, 0));
        Outputs stopOld = Outputs.of("previousRun", "4", "previousCommit", "commit4", "previousImage", "sha256:old",
                "previousContainers", "id-hello-staging-4-0,id-gone", "previousNames", "hello-staging-4-0,hello-staging-4-1");

        new CompensateStep(engine, null, alwaysHealthy).run(ctx(5, 2, StepName.COMPENSATE).with(StepName.STOP_OLD, stopOld), false);

        assertThat(engine.calls).contains("create hello-staging-4-1", "start hello-staging-4-0", "start hello-staging-4-1");
        Containers.Spec recreated = engine.specs.values().iterator().next();
        assertThat(recreated.image()).isEqualTo("sha256:old");
        assertThat(recreated.env()).containsEntry("APP_VERSION", "commit4").containsEntry("PORT", "19001");
        assertThat(recreated.labels()).containsEntry(Labels.RUN, "4");
    }

    @Test
    void compensate_firstDeploy_onlyRemovesTheNewContainers() {
        new StopOldStep(engine, pool).run(ctx(1, 1, StepName.STOP_OLD));

        Outputs out = new CompensateStep(engine, null, alwaysHealthy).run(ctx(1, 1, StepName.COMPENSATE), false);

        assertThat(out.require("restored")).isEqualTo("none");
        assertThat(engine.boxes).isEmpty();
    }
}
