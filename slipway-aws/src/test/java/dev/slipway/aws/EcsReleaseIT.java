package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepName;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What stop-old says served before ({@code previous}) and what compensation says it brought back ({@code restored}):
 * the engine ends a run ROLLED_BACK only on these, so they must be true. A release is named by the run key its task
 * definition revision carries, or by family:revision for a revision Slipway did not register.
 */
class EcsReleaseIT {
    static final String FIRST = "1111111111111111111111111111111111111111";
    static final String SECOND = "2222222222222222222222222222222222222222";
    @TempDir
    Path dir;
    EcsWorld world;
    FaultProxy proxy;

    @BeforeEach
    void setUp() {
        world = EcsWorld.create(dir);
        proxy = FaultProxy.start(world.moto.endpoint());
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        world.close();
    }

    @Test
    void failedDeploy_afterARelease_bringsThatReleaseBackAndNamesItByKey() {
        RunView first = deploy(FIRST);
        failMigrations();
        RunView second = deploy(SECOND);

        assertThat(first.state()).as(first.reason()).isEqualTo(RunState.SUCCEEDED);
        assertThat(first.step("stop-old").orElseThrow().outputs()).as("revision 1 is not Slipway's: named by revision")
                .containsEntry("previous", "hello:1");
        assertThat(second.state()).as(second.reason()).isEqualTo(RunState.ROLLED_BACK);
        assertThat(second.step("stop-old").orElseThrow().outputs()).containsEntry("previous", first.run().key());
        assertThat(second.step("compensate").orElseThrow().outputs()).containsEntry("restored", first.run().key());
        assertThat(world.service().taskDefinition()).isEqualTo(first.step("build").orElseThrow().outputs().get("taskDefinition"));
    }

    @Test
    void compensate_noStopOldRecordAndNothingRunning_restoresNone() {
        world.admin.ecs().updateService(b -> b.cluster(EcsWorld.CLUSTER).service(EcsWorld.SERVICE).desiredCount(0));
        TestContext ctx = context();

        Outputs out = target().compensate(ctx, false);

        assertThat(out.get("restored")).contains("none");
        assertThat(world.service().desiredCount()).isZero();
    }

    @Test
    void compensate_noStopOldRecordWhileThePreviousRevisionStillServes_namesIt() {
        TestContext ctx = context();

        Outputs out = target().compensate(ctx, false);

        assertThat(out.get("restored")).contains("hello:1");
        assertThat(world.service().desiredCount()).isEqualTo(MotoServer.SERVICE_RUNNING);
    }

    @Test
    void compensate_recordOfAServiceThatRanNothing_leavesItAtZeroAndRestoresNone() {
        TestContext ctx = context();
        ctx.outputs.put(StepName.STOP_OLD, new StoppedService(world.initialTaskDefinition, 0, ctx.runKey(), "abc123")
                .toOutputs("service"));

        Outputs out = target().compensate(ctx, false);

        assertThat(out.get("restored")).contains("none");
        assertThat(world.service().desiredCount()).isZero();
    }

    private EcsTarget target() {
        SlipwaySpec spec = world.spec(world.moto.endpoint());
        return EcsWorld.target(spec, new FakeImageEngine());
    }

    private TestContext context() {
        return new TestContext(world.spec(world.moto.endpoint()), Duration.ofSeconds(20));
    }

    private RunView deploy(String commit) {
        SlipwaySpec spec = world.spec(proxy.endpoint());
        try (Engine engine = EcsWorld.engine(spec, EcsWorld.target(spec, new FakeImageEngine()), dir.resolve("state.db"))) {
            return EcsWorld.deploy(engine, commit);
        }
    }

    /** Every migration task from now on exits 1 (moto's always exit 0). */
    private void failMigrations() {
        proxy.rewrite("DescribeTasks", (request, response) -> {
            response.withArray("tasks").forEach(t -> {
                if (t.path("startedBy").asText().startsWith("slipway-") && "STOPPED".equals(t.path("lastStatus").asText())) {
                    t.withArray("containers").forEach(c -> ((ObjectNode) c).put("exitCode", 1));
                }
            });
            return response;
        });
    }
}
