package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.target.StepName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * Acceptance 1 (ecs side): the example app's {@code migrations.command: [java, -jar, /app/hello-server.jar, migrate]}
 * is the complete argv on ECS as on the local target (where LocalTargetIT runs it in podman: its first element is the
 * container's entrypoint, see slipway-local MigrateStep). ECS has no entryPoint override, so the run registers a
 * revision of family {@code hello-migrate} whose app container has that argv as entryPoint and no command, and
 * RunTask names it without a command override. moto runs no container: the RunTask request (recorded by the fault
 * proxy) and the task definition it names are what ECS would run.
 */
class EcsMigrationCommandIT {
    static final String COMMIT = "5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e";
    static final List<String> EXAMPLE_COMMAND = List.of("java", "-jar", "/app/hello-server.jar", "migrate");
    @TempDir
    Path dir;
    EcsWorld world;
    FaultProxy proxy;
    final List<FaultProxy.Call> runTasks = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        world = EcsWorld.create(dir);
        proxy = FaultProxy.start(world.moto.endpoint());
        proxy.after("RunTask", runTasks::add);
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        world.close();
    }

    @Test
    void deploy_exampleMigrationCommand_runsItAsTheEntryPointOfTheRunsMigrationRevision() {
        SlipwaySpec spec = world.spec(proxy.endpoint());
        assertThat(spec.migrations().command()).as("the example's command").isEqualTo(EXAMPLE_COMMAND);
        RunView run = deploy(spec, "state.db");

        assertThat(run.state()).as(run.reason()).isEqualTo(RunState.SUCCEEDED);
        Map<String, String> build = run.step("build").orElseThrow().outputs();
        String migration = build.get("migrationTaskDefinition");
        assertThat(migration).endsWith("task-definition/hello-migrate:1");

        JsonNode request = runTasks.stream().map(FaultProxy.Call::request).reduce((a, b) -> b).orElseThrow();
        assertThat(runTasks).hasSize(1);
        assertThat(request.path("taskDefinition").asText()).isEqualTo(migration);
        assertThat(request.path("startedBy").asText()).isEqualTo("slipway-" + run.run().key());
        assertThat(request.path("overrides").path("containerOverrides").findValues("command"))
                .as("no command override: ECS would append it to the image's ENTRYPOINT").isEmpty();

        ContainerDefinition app = world.taskDefinition(migration).containerDefinitions().get(0);
        assertThat(app.entryPoint()).isEqualTo(EXAMPLE_COMMAND);
        assertThat(app.command()).as("the template's [serve] is not appended").isEmpty();
        assertThat(app.image()).isEqualTo(build.get("image"));
        assertThat(world.taskDefinitionTags(migration)).extracting(t -> t.key() + "=" + t.value())
                .contains("slipway:run-key=" + run.run().key(), "slipway:commit=" + COMMIT);

        ContainerDefinition served = world.taskDefinition(world.service().taskDefinition()).containerDefinitions().get(0);
        assertThat(world.service().taskDefinition()).isEqualTo(build.get("taskDefinition")).endsWith("task-definition/hello:2");
        assertThat(served.entryPoint()).as("the service's revision keeps the image's ENTRYPOINT").isEmpty();
        assertThat(served.command()).containsExactly("serve");
    }

    @Test
    void deploy_sameCommitFromTwoJournals_eachRunTasksItsOwnMigrationRevision() {
        SlipwaySpec spec = world.spec(proxy.endpoint());
        RunView first = deploy(spec, "first.db");
        RunView second = deploy(spec, "second.db");

        assertThat(List.of(first.state(), second.state())).as(second.reason()).containsOnly(RunState.SUCCEEDED);
        String firstRevision = first.step("build").orElseThrow().outputs().get("migrationTaskDefinition");
        String secondRevision = second.step("build").orElseThrow().outputs().get("migrationTaskDefinition");
        assertThat(secondRevision).isNotEqualTo(firstRevision).endsWith("hello-migrate:2");
        assertThat(runTasks).extracting(c -> c.request().path("taskDefinition").asText())
                .containsExactly(firstRevision, secondRevision);
        assertThat(world.taskDefinitionTags(secondRevision)).extracting(Tag::value).contains(second.run().key())
                .doesNotContain(first.run().key());
    }

    @Test
    void buildAndMigrate_repeatedUnderTheSameKey_registerAndRunTheMigrationOnce() {
        SlipwaySpec spec = world.spec(proxy.endpoint());
        EcsTarget target = EcsWorld.target(spec, new FakeImageEngine());
        TestContext ctx = new TestContext(spec, Duration.ofSeconds(30));
        ctx.outputs.put(StepName.BUILD, target.build(ctx));
        String task = target.migrate(ctx).require("migrationTask");

        ctx.earlierBuild = ctx.outputs.get(StepName.BUILD);
        String again = target.build(ctx).require("migrationTaskDefinition");

        assertThat(again).isEqualTo(ctx.outputs.get(StepName.BUILD).require("migrationTaskDefinition"));
        assertThat(target.migrate(ctx).require("migrationTask")).isEqualTo(task);
        assertThat(world.admin.ecs().listTaskDefinitions(b -> b.familyPrefix("hello-migrate")).taskDefinitionArns())
                .hasSize(1);
        assertThat(runTasks).hasSize(1);
    }

    @Test
    void migrate_buildOutputsWithoutAMigrationRevision_registersItThenRunsIt() {
        SlipwaySpec spec = world.spec(proxy.endpoint());
        EcsTarget target = EcsWorld.target(spec, new FakeImageEngine());
        TestContext ctx = new TestContext(spec, Duration.ofSeconds(30));
        Map<String, String> build = new java.util.LinkedHashMap<>(target.build(ctx).values());
        String registered = build.remove("migrationTaskDefinition"); // a build journaled before migration revisions
        ctx.outputs.put(StepName.BUILD, new dev.slipway.core.target.Outputs(build));

        target.migrate(ctx);

        assertThat(runTasks).singleElement().satisfies(c -> assertThat(c.request().path("taskDefinition").asText())
                .isEqualTo(registered));
    }

    private RunView deploy(SlipwaySpec spec, String journal) {
        try (Engine engine = EcsWorld.engine(spec, EcsWorld.target(spec, new FakeImageEngine()), dir.resolve(journal))) {
            return EcsWorld.deploy(engine, COMMIT);
        }
    }
}
