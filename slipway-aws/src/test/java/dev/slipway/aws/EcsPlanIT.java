package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.spec.SlipwaySpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 4: {@code slipway plan} on an ecs stage against moto lists the calls and makes only read calls. */
class EcsPlanIT {
    @TempDir
    Path dir;
    EcsWorld world;
    FaultProxy proxy;

    @BeforeEach
    void setUp() {
        world = EcsWorld.create(dir);
        proxy = FaultProxy.start(world.moto.endpoint()); // here only to record which calls the plan makes
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        world.close();
    }

    @Test
    void plan_onMoto_listsAwsCallsAndOnlyDescribes() {
        SlipwaySpec spec = world.spec(proxy.endpoint());
        List<String> plan;
        try (Engine engine = EcsWorld.engine(spec, EcsWorld.target(spec, new FakeImageEngine()), dir.resolve("state.db"))) {
            plan = engine.plan(EcsWorld.STAGE, "abc1234");
        }

        String text = String.join("\n", plan);
        assertThat(text).contains("ecr:CreateRepository hello", "ecs:RegisterTaskDefinition family hello",
                "rds:CreateDBSnapshot of hello-staging", "ecs:UpdateService desiredCount 0",
                "ecs:RunTask", "hello:1 x2", "poll ecs:DescribeServices until its rollout is COMPLETED");
        assertThat(proxy.operations()).isNotEmpty().allMatch(op -> op.matches("(Describe|List|Get)[A-Za-z]+"),
                "a read-only call");
        assertThat(world.service().taskDefinition()).isEqualTo(world.initialTaskDefinition);
        assertThat(world.service().desiredCount()).isEqualTo(2);
        assertThat(world.service().tags()).isEmpty();
        assertThat(world.admin.ecr().describeRepositories().repositories()).isEmpty();
        assertThat(world.admin.rds().describeDBSnapshots(b -> b.snapshotType("manual")).dbSnapshots()).isEmpty();
        assertThat(world.admin.ecs().listTaskDefinitions().taskDefinitionArns()).hasSize(1);
    }
}
