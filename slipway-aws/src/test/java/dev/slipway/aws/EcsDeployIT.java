package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/** Acceptance 1: a stage deployed end to end against moto_server, through the engine, with no faults. */
class EcsDeployIT {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";
    @TempDir
    Path dir;
    EcsWorld world;
    FakeImageEngine images = new FakeImageEngine();

    @BeforeEach
    void setUp() {
        world = EcsWorld.create(dir);
    }

    @AfterEach
    void tearDown() {
        world.close();
    }

    @Test
    void deploy_onMoto_putsServiceOnNewRevisionWithDigestAndTagsSnapshot() {
        SlipwaySpec spec = world.spec(world.moto.endpoint());
        RunView run;
        try (Engine engine = EcsWorld.engine(spec, EcsWorld.target(spec, images), dir.resolve("state.db"))) {
            run = EcsWorld.deploy(engine, COMMIT);
        }

        assertThat(run.state()).as(run.reason()).isEqualTo(RunState.SUCCEEDED);
        Map<String, String> build = run.step("build").orElseThrow().outputs();
        String digest = build.get("digest");
        String repository = world.repositoryUri();
        assertThat(build.get("image")).isEqualTo(repository + "@" + digest);
        assertThat(images.pushed).containsExactly(repository + ":" + COMMIT);

        Service service = world.service();
        assertThat(service.taskDefinition()).isEqualTo(build.get("taskDefinition")).endsWith("task-definition/hello:2");
        assertThat(service.desiredCount()).isEqualTo(MotoServer.SERVICE_RUNNING);
        assertThat(service.runningCount()).isEqualTo(MotoServer.SERVICE_RUNNING);
        assertThat(world.serviceTags()).as("stop-old record removed after verify").doesNotContainKeys(StoppedService.TAG_KEYS.toArray(String[]::new));

        ContainerDefinition app = world.taskDefinition(service.taskDefinition()).containerDefinitions().get(0);
        assertThat(app.image()).isEqualTo(repository + "@" + digest);
        Map<String, String> env = app.environment().stream().collect(Collectors.toMap(KeyValuePair::name, KeyValuePair::value));
        assertThat(env).containsEntry("STAGE", "staging").containsEntry("GREETING", "hi").containsEntry("FROM_TEMPLATE", "yes")
                .containsEntry("APP_VERSION", COMMIT);
        assertThat(world.taskDefinitionTags(service.taskDefinition()))
                .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("slipway:commit=" + COMMIT));

        DBSnapshot snapshot = world.admin.rds().describeDBSnapshots(b -> b.dbSnapshotIdentifier(
                run.step("snapshot").orElseThrow().outputs().get("snapshot"))).dbSnapshots().get(0);
        assertThat(snapshot.status()).isEqualTo("available");
        assertThat(RdsSnapshots.tagsOf(snapshot)).containsEntry("slipway:stage", "staging")
                .containsEntry("slipway:commit", COMMIT).containsEntry("slipway:run", String.valueOf(run.run().id()));
        assertThat(world.admin.ecr().describeRepositories(b -> b.repositoryNames("hello")).repositories()).hasSize(1);
    }

    @Test
    void deploy_threeTimesWithKeepTwo_keepsTwoNewestSnapshotsAndListsThem() {
        SlipwaySpec spec = world.spec(world.moto.endpoint());
        try (Engine engine = EcsWorld.engine(spec, EcsWorld.target(spec, images), dir.resolve("state.db"))) {
            for (String commit : new String[] {"aaaaaaa1", "bbbbbbb2", "ccccccc3"}) {
                assertThat(EcsWorld.deploy(engine, commit).state()).isEqualTo(RunState.SUCCEEDED);
            }
            assertThat(engine.snapshots(EcsWorld.STAGE)).extracting(s -> s.commit()).containsExactly("ccccccc3", "bbbbbbb2");
        }
        assertThat(world.service().taskDefinition()).endsWith("hello:4");
    }

    @Test
    void restore_slipwaySnapshot_createsNewInstanceAndSaysHowToSwitch() {
        SlipwaySpec spec = world.spec(world.moto.endpoint());
        java.util.List<String> lines = new java.util.ArrayList<>();
        RunView restore;
        try (Engine engine = EcsWorld.engine(spec, EcsWorld.target(spec, images), dir.resolve("state.db"))) {
            RunView run = EcsWorld.deploy(engine, COMMIT);
            restore = engine.restore(EcsWorld.STAGE, run.step("snapshot").orElseThrow().outputs().get("snapshot"), lines::add);
        }

        assertThat(world.admin.rds().describeDBInstances().dbInstances()).anySatisfy(i -> {
            assertThat(i.dbInstanceIdentifier()).startsWith(EcsWorld.INSTANCE + "-restored-");
            assertThat(i.tagList()).anySatisfy(t -> assertThat(t.key() + "=" + t.value())
                    .isEqualTo("slipway:run-key=" + restore.run().key()));
        });
        assertThat(String.join("\n", lines)).contains("To point stage staging at it", "ecs.rds-instance to hello-staging-restored-");
    }
}
