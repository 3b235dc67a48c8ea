package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.target.StepName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.Task;
import software.amazon.awssdk.services.ecs.model.TaskField;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * Issue 8, finding 1: run numbers restart in a new journal (the old one deleted, or a second machine), so two runs "1"
 * of the same commit must still be told apart. Every snapshot, migration task and task definition revision carries the
 * run key, and a run adopts only work that carries its own key.
 */
class EcsRunIdentityIT {
    static final String COMMIT = "5eed0123456789abcdef0123456789abcdef0123";
    @TempDir
    Path dir;
    EcsWorld world;

    @BeforeEach
    void setUp() {
        world = EcsWorld.create(dir);
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    @Test
    void deploy_sameCommitFromANewJournal_takesItsOwnSnapshotAndRunsTheMigrationAgain() {
        SlipwaySpec spec = world.spec(world.moto.endpoint());
        RunView first = deploy(spec, "first.db");
        RunView second = deploy(spec, "second.db");

        assertThat(List.of(first.state(), second.state())).as(second.reason()).containsOnly(RunState.SUCCEEDED);
        assertThat(second.run().id()).as("a new journal numbers from 1 again").isEqualTo(first.run().id());
        String key = second.run().key();
        assertThat(key).isNotEqualTo(first.run().key());

        String firstSnapshot = first.step("snapshot").orElseThrow().outputs().get("snapshot");
        String secondSnapshot = second.step("snapshot").orElseThrow().outputs().get("snapshot");
        assertThat(secondSnapshot).isNotEqualTo(firstSnapshot).contains(key);
        assertThat(world.admin.rds().describeDBSnapshots(b -> b.dbInstanceIdentifier(EcsWorld.INSTANCE)
                        .snapshotType("manual")).dbSnapshots())
                .extracting(DBSnapshot::dbSnapshotIdentifier).containsExactlyInAnyOrder(firstSnapshot, secondSnapshot);
        DBSnapshot snapshot = world.admin.rds().describeDBSnapshots(b -> b.dbSnapshotIdentifier(secondSnapshot)).dbSnapshots().get(0);
        assertThat(RdsSnapshots.tagsOf(snapshot)).containsEntry("slipway:run-key", key);

        String taskDefinition = second.step("build").orElseThrow().outputs().get("taskDefinition");
        assertThat(world.taskDefinitionTags(taskDefinition))
                .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("slipway:run-key=" + key));

        List<String> started = world.tasksStartedBy("slipway-" + key);
        assertThat(started).as("the second run started a migration task of its own").hasSize(1)
                .containsExactly(second.step("migrate").orElseThrow().outputs().get("migrationTask"))
                .doesNotContain(first.step("migrate").orElseThrow().outputs().get("migrationTask"));
        Task migration = world.admin.ecs().describeTasks(b -> b.cluster(EcsWorld.CLUSTER).tasks(started)
                .include(TaskField.TAGS)).tasks().get(0);
        assertThat(migration.taskDefinitionArn()).isEqualTo(second.step("build").orElseThrow().outputs()
                .get("migrationTaskDefinition")).contains("task-definition/hello-migrate:");
        assertThat(migration.tags()).anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("slipway:run-key=" + key));
        assertThat(String.join("\n", EcsWorld.logs(dir.resolve("second.db"), second.run().id())))
                .doesNotContain("earlier attempt");
    }

    @Test
    void snapshotAndMigrate_repeatedUnderTheSameKey_adoptTheEarlierAttemptsWork() {
        SlipwaySpec spec = world.spec(world.moto.endpoint());
        EcsTarget target = EcsWorld.target(spec, new FakeImageEngine());
        TestContext ctx = new TestContext(spec, Duration.ofSeconds(30));
        ctx.outputs.put(StepName.BUILD, target.build(ctx));

        String snapshot = target.snapshot(ctx).require("snapshot");
        String task = target.migrate(ctx).require("migrationTask");

        assertThat(target.snapshot(ctx).require("snapshot")).isEqualTo(snapshot);
        assertThat(target.migrate(ctx).require("migrationTask")).isEqualTo(task);
        assertThat(world.tasksStartedBy(MigrateStep.startedBy(ctx))).containsExactly(task);
        assertThat(ctx.logs).anySatisfy(l -> assertThat(l).contains(snapshot, "an earlier attempt of this run made it"));
    }

    private RunView deploy(SlipwaySpec spec, String journal) {
        try (Engine engine = EcsWorld.engine(spec, EcsWorld.target(spec, new FakeImageEngine()), dir.resolve(journal))) {
            return EcsWorld.deploy(engine, COMMIT);
        }
    }
}
