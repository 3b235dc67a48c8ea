package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.RunKeys;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 3: a run SIGKILLed after stop-old scaled the service to 0, then a new run with an EMPTY journal (say the
 * CI runner that held .slipway/state.db is gone): the service is recovered from the tags stop-old left on it.
 * The stage's replicas is 1 and the service ran 2, so a count of 2 afterwards can only have come from the tags.
 */
class EcsRecoveryIT {
    static final String COMMIT = "deadbeef12345678";
    @TempDir
    Path dir;
    EcsWorld world;
    Process dead;
    String deadRunKey;

    @BeforeEach
    void setUp() throws IOException, InterruptedException {
        world = EcsWorld.create(dir);
        dead = startDeadRun();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    assertThat(dead.isAlive()).as("the dying run's JVM").isTrue();
                    assertThat(world.service().desiredCount()).isZero();
                    assertThat(world.serviceTags()).containsKey(StoppedService.TAG_RUN);
                });
        dead.destroyForcibly().waitFor(); // SIGKILL: no shutdown hook, no compensation
        deadRunKey = world.serviceTags().get(StoppedService.TAG_RUN);
        assertThat(RunKeys.isKey(deadRunKey)).as("the dead run's record names it by key: " + deadRunKey).isTrue();
        assertThat(world.service().desiredCount()).as("left at 0 by the dead run").isZero();
    }

    @AfterEach
    void tearDown() {
        dead.destroyForcibly();
        world.close();
    }

    @Test
    void newRunWithEmptyJournal_afterDeadRunLeftServiceAtZero_finishesDeployWithCountFromTags() {
        SlipwaySpec spec = world.spec(world.moto.endpoint());
        Path journal = dir.resolve("fresh-state.db");
        RunView run;
        try (Engine engine = EcsWorld.engine(spec, EcsWorld.target(spec, new FakeImageEngine()), journal)) {
            run = EcsWorld.deploy(engine, COMMIT);
        }

        assertThat(run.state()).as(run.reason()).isEqualTo(RunState.SUCCEEDED);
        assertThat(run.step("stop-old").orElseThrow().outputs())
                .containsEntry("previousTaskDefinition", world.initialTaskDefinition)
                .containsEntry("previousDesiredCount", "2")
                .containsEntry("source", "tags of run " + deadRunKey)
                .containsEntry("previous", "hello:1");
        assertThat(world.service().desiredCount()).isEqualTo(2);
        assertThat(world.service().taskDefinition()).as("the dead run registered :2; this run registers its own")
                .endsWith("hello:3");
        assertThat(world.serviceTags()).doesNotContainKeys(StoppedService.TAG_KEYS.toArray(String[]::new));
        assertThat(String.join("\n", EcsWorld.logs(journal, run.run().id()))).contains("did not finish");
    }

    @Test
    void newRunWithEmptyJournal_failingMigration_restoresServiceFromTags() {
        FaultProxy proxy = FaultProxy.start(world.moto.endpoint());
        proxy.rewrite("DescribeTasks", (request, response) -> {
            response.withArray("tasks").forEach(t -> {
                if ("STOPPED".equals(t.path("lastStatus").asText())) {
                    t.withArray("containers").forEach(c -> ((ObjectNode) c).put("exitCode", 1));
                }
            });
            return response;
        });
        SlipwaySpec spec = world.spec(proxy.endpoint());
        RunView run;
        try (proxy; Engine engine = EcsWorld.engine(spec, EcsWorld.target(spec, new FakeImageEngine()), dir.resolve("fresh.db"))) {
            run = EcsWorld.deploy(engine, COMMIT);
        }

        assertThat(run.state()).as(run.reason()).isEqualTo(RunState.ROLLED_BACK);
        assertThat(run.step("stop-old").orElseThrow().outputs()).containsEntry("previous", "hello:1");
        assertThat(run.step("compensate").orElseThrow().outputs()).containsEntry("restored", "hello:1");
        assertThat(world.service().taskDefinition()).isEqualTo(world.initialTaskDefinition);
        assertThat(world.service().desiredCount()).isEqualTo(2);
        assertThat(world.serviceTags()).doesNotContainKeys(StoppedService.TAG_KEYS.toArray(String[]::new));
    }

    private Process startDeadRun() throws IOException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, DeadRunMain.class.getName(), world.moto.endpoint(), dir.toString(),
                dir.resolve("dead-state.db").toString()));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("dead-run.log").toFile()).start();
    }
}
