package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Acceptance 2: failures moto cannot produce (its tasks always exit 0, its deployments never fail or hang, it never
 * throttles) injected by {@link FaultProxy} between the target and moto. Everything else is moto's real behaviour.
 */
class EcsFaultsIT {
    static final String COMMIT = "feedface00112233";
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
    void migration_exitingOne_leavesServiceOnPreviousRevisionAndReasonHoldsLogTail() {
        proxy.after("RunTask", call -> call.response().path("tasks").forEach(t -> world.writeLog(t.path("taskArn").asText(),
                List.of("Flyway: migrating schema to version 7", "ERROR: relation \"users\" already exists"))));
        proxy.rewrite("DescribeTasks", (request, response) -> {
            response.withArray("tasks").forEach(t -> {
                if (t.path("startedBy").asText().startsWith("slipway-") && "STOPPED".equals(t.path("lastStatus").asText())) {
                    ((ObjectNode) t).put("stoppedReason", "Essential container in task exited");
                    t.withArray("containers").forEach(c -> ((ObjectNode) c).put("exitCode", 1));
                }
            });
            return response;
        });

        RunView run = deploy("20s");

        assertThat(run.state()).isEqualTo(RunState.ROLLED_BACK);
        assertThat(run.state().exitCode()).isEqualTo(1);
        assertThat(run.reason()).contains("exited with 1", "Essential container in task exited",
                "ERROR: relation \"users\" already exists");
        assertThat(EcsWorld.logs(dir.resolve("state.db"), run.run().id()))
                .contains("migration | ERROR: relation \"users\" already exists");
        assertOnPreviousRevision();
    }

    @Test
    void migration_policyWithoutTaskTagging_startsTheTaskUntaggedAndSucceeds() {
        proxy.refuse("RunTask", r -> r.path("tags").size() > 0, "AccessDeniedException", r -> "User: arn:aws:iam::123456789012:"
                + "user/ci is not authorized to perform: ecs:TagResource on resource: arn:aws:ecs:us-east-1:123456789012:task/"
                + "slipway/* because no identity-based policy allows the ecs:TagResource action");

        RunView run = deploy("20s");

        assertThat(run.state()).as(run.reason()).isEqualTo(RunState.SUCCEEDED);
        String task = run.step("migrate").orElseThrow().outputs().get("migrationTask");
        assertThat(world.tasksStartedBy("slipway-" + run.run().key())).containsExactly(task);
        assertThat(EcsWorld.logs(dir.resolve("state.db"), run.run().id()))
                .anySatisfy(l -> assertThat(l).contains("the migration task starts without tags", "ecs:CreateAction RunTask"));
    }

    @Test
    void deploy_circuitBreakerRollback_isFailureAndCompensated() {
        proxy.rewrite("DescribeServices", (request, response) -> {
            response.withArray("services").forEach(s -> {
                if (!s.path("taskDefinition").asText().equals(world.initialTaskDefinition)) {
                    failedRollout((ObjectNode) s);
                }
            });
            return response;
        });
        proxy.after("RegisterTaskDefinition", call -> world.stoppedServiceTask(
                call.response().path("taskDefinition").path("taskDefinitionArn").asText(),
                "Task failed ELB health checks in (target-group hello)"));
        proxy.rewrite("DescribeTasks", (request, response) -> {
            response.withArray("tasks").forEach(t -> {
                if (t.path("group").asText().equals("service:hello")) {
                    t.withArray("containers").forEach(c -> ((ObjectNode) c).put("exitCode", 137));
                }
            });
            return response;
        });

        RunView run = deploy("20s");

        assertThat(run.state()).isEqualTo(RunState.ROLLED_BACK);
        assertThat(run.reason()).contains("circuit breaker", "rollout FAILED",
                "(deployment ecs-svc/1) deployment failed: tasks failed to start",
                "Task failed ELB health checks in (target-group hello); container app exit 137");
        assertThat(run.step("compensate").orElseThrow().state()).isEqualTo("SUCCEEDED");
        assertOnPreviousRevision();
    }

    @Test
    void deploy_withThirtyPercentOfCallsThrottled_succeeds() {
        proxy.throttle(0.3);

        RunView run = deploy("20s");

        assertThat(run.state()).as(run.reason()).isEqualTo(RunState.SUCCEEDED);
        assertThat(proxy.throttledCalls()).isGreaterThan(5);
        assertThat(world.service().taskDefinition()).endsWith("hello:2");
        assertThat(world.service().desiredCount()).isEqualTo(MotoServer.SERVICE_RUNNING);
    }

    @Test
    void deploy_neverCompleting_timesOutAndIsCompensated() {
        proxy.rewrite("DescribeServices", (request, response) -> {
            response.withArray("services").forEach(s -> {
                if (!s.path("taskDefinition").asText().equals(world.initialTaskDefinition)) {
                    stuckRollout((ObjectNode) s);
                }
            });
            return response;
        });

        RunView run = deploy("4s");

        assertThat(run.state()).isEqualTo(RunState.ROLLED_BACK);
        assertThat(run.reason()).contains("did not complete", "rollout IN_PROGRESS", "0/2 running");
        assertOnPreviousRevision();
    }

    private RunView deploy(String deployTimeout) {
        SlipwaySpec spec = world.spec(proxy.endpoint(), deployTimeout);
        try (Engine engine = EcsWorld.engine(spec, EcsWorld.target(spec, new FakeImageEngine()), dir.resolve("state.db"))) {
            return EcsWorld.deploy(engine, COMMIT);
        }
    }

    private void assertOnPreviousRevision() {
        Service service = world.service();
        assertThat(service.taskDefinition()).isEqualTo(world.initialTaskDefinition);
        assertThat(service.desiredCount()).isEqualTo(MotoServer.SERVICE_RUNNING);
        assertThat(service.runningCount()).isEqualTo(MotoServer.SERVICE_RUNNING);
        assertThat(world.serviceTags()).doesNotContainKeys(StoppedService.TAG_KEYS.toArray(String[]::new));
    }

    /** What ECS shows once the circuit breaker has failed a deployment of the service's revision. */
    private static void failedRollout(ObjectNode service) {
        ArrayNode deployments = service.putArray("deployments");
        deployment(deployments, service, "FAILED", "ECS deployment circuit breaker: tasks failed to start.", 0).put("failedTasks", 3);
        ArrayNode events = service.putArray("events");
        events.addObject().put("id", "e1").put("createdAt", 1.7e9)
                .put("message", "(service hello) (deployment ecs-svc/1) deployment failed: tasks failed to start.");
        service.put("runningCount", 0);
    }

    private static void stuckRollout(ObjectNode service) {
        deployment(service.putArray("deployments"), service, "IN_PROGRESS", "ECS deployment ecs-svc/1 in progress.", 0);
        service.put("runningCount", 0).put("pendingCount", service.path("desiredCount").asInt());
    }

    private static ObjectNode deployment(ArrayNode deployments, JsonNode service, String state, String reason, int running) {
        return deployments.addObject().put("id", "ecs-svc/1").put("status", "PRIMARY")
                .put("taskDefinition", service.path("taskDefinition").asText())
                .put("desiredCount", service.path("desiredCount").asInt()).put("runningCount", running).put("pendingCount", 0)
                .put("rolloutState", state).put("rolloutStateReason", reason);
    }
}
