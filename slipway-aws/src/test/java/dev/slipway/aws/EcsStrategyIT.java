package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.TargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * Acceptance 4 of issue 11 on moto: an online deploy never scales the service to 0; a stop-first deploy on a stage
 * that names its listener answers 503 through a listener rule while the service is stopped and removes it afterwards,
 * also when the deploy fails. moto's ELBv2 keeps listener rules (fixed responses, tags) and target group attributes
 * for real; {@link FaultProxy} records the UpdateService requests and, where moto cannot fail, fails the rollout.
 */
class EcsStrategyIT {
    static final String COMMIT = "feedface00112233";
    @TempDir
    Path dir;
    EcsWorld world;
    FaultProxy proxy;
    /** Every UpdateService request that went through the proxy. */
    final List<ObjectNode> updates = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        world = EcsWorld.createLoadBalanced(dir);
        proxy = FaultProxy.start(world.moto.endpoint());
        proxy.after("UpdateService", call -> updates.add(call.request()));
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        world.close();
    }

    @Test
    void online_rollsTheNewRevisionWithoutEverScalingToZero() {
        TestContext ctx = online(world.strategySpec(proxy.endpoint(), "20s", "online", world.listenerArn));
        EcsTarget target = EcsWorld.target(ctx.spec(), new FakeImageEngine());
        String built = step(ctx, StepName.BUILD, target.build(ctx)).require("taskDefinition");

        step(ctx, StepName.MIGRATE, target.migrate(ctx));
        step(ctx, StepName.DEPLOY, target.deploy(ctx));
        step(ctx, StepName.VERIFY, target.verify(ctx));
        Outputs stopped = step(ctx, StepName.STOP_OLD, target.stopOld(ctx));

        assertThat(updates).isNotEmpty().noneMatch(u -> u.path("desiredCount").asInt(-1) == 0);
        assertThat(updates).singleElement().satisfies(u -> {
            assertThat(u.path("taskDefinition").asText()).isEqualTo(built);
            assertThat(u.path("desiredCount").asInt()).isEqualTo(MotoServer.SERVICE_RUNNING);
            assertThat(u.path("deploymentConfiguration").path("minimumHealthyPercent").asInt()).isEqualTo(100);
            assertThat(u.path("deploymentConfiguration").path("maximumPercent").asInt()).isEqualTo(200);
        });
        assertThat(proxy.operations()).doesNotContain("CreateRule", "ModifyTargetGroupAttributes");
        Service s = world.service();
        assertThat(s.taskDefinition()).isEqualTo(built);
        assertThat(s.desiredCount()).isEqualTo(MotoServer.SERVICE_RUNNING);
        assertThat(world.serviceTags()).doesNotContainKeys(StoppedService.TAG_TASK_DEFINITION);
        assertThat(stopped.require("previousTaskDefinition")).isEqualTo(world.initialTaskDefinition);
        assertThat(stopped.require("previousDesiredCount")).isEqualTo(String.valueOf(MotoServer.SERVICE_RUNNING));
    }

    @Test
    void online_failedRollout_isRolledBackWithoutEverScalingToZero() {
        failRolloutsOfAllBut(world.initialTaskDefinition);
        TestContext ctx = online(world.strategySpec(proxy.endpoint(), "20s", "online", world.listenerArn));
        EcsTarget target = EcsWorld.target(ctx.spec(), new FakeImageEngine());
        step(ctx, StepName.BUILD, target.build(ctx));
        step(ctx, StepName.MIGRATE, target.migrate(ctx));

        assertThatThrownBy(() -> target.deploy(ctx)).isInstanceOf(TargetException.class).hasMessageContaining("rollout FAILED");
        Outputs restored = target.compensate(ctx, false);

        assertThat(updates).hasSize(2).noneMatch(u -> u.path("desiredCount").asInt(-1) == 0);
        assertThat(updates.get(1).path("taskDefinition").asText()).isEqualTo(world.initialTaskDefinition);
        assertThat(updates.get(1).path("deploymentConfiguration").path("minimumHealthyPercent").asInt()).isEqualTo(100);
        assertThat(restored.require("taskDefinition")).isEqualTo(world.initialTaskDefinition);
        Service s = world.service();
        assertThat(s.taskDefinition()).isEqualTo(world.initialTaskDefinition);
        assertThat(s.desiredCount()).isEqualTo(MotoServer.SERVICE_RUNNING);
        assertThat(world.serviceTags()).doesNotContainKeys(StoppedService.TAG_TASK_DEFINITION);
    }

    @Test
    void stopFirst_answers503ThroughTheListenerWhileStopped_andRemovesTheRuleAfterVerify() {
        List<List<Rule>> rulesAtStop = new CopyOnWriteArrayList<>();
        List<String> delayAtStop = new CopyOnWriteArrayList<>();
        proxy.after("UpdateService", call -> {
            if (call.request().path("desiredCount").asInt(-1) == 0) {
                rulesAtStop.add(maintenanceRules());
                delayAtStop.add(deregistrationDelay());
            }
        });

        RunView run = deploy(world.strategySpec(proxy.endpoint(), "20s", "stop-first", world.listenerArn));

        assertThat(run.state()).as(run.reason()).isEqualTo(RunState.SUCCEEDED);
        assertThat(rulesAtStop).singleElement().satisfies(rules -> assertThat(rules).singleElement().satisfies(r -> {
            assertThat(r.priority()).isEqualTo("1");
            assertThat(r.conditions().get(0).field()).isEqualTo("path-pattern");
            assertThat(r.conditions().get(0).values()).containsExactly("/*");
            assertThat(r.actions().get(0).fixedResponseConfig().statusCode()).isEqualTo("503");
            assertThat(r.actions().get(0).fixedResponseConfig().contentType()).isEqualTo("text/plain");
            assertThat(r.actions().get(0).fixedResponseConfig().messageBody()).isEqualTo(MaintenanceRule.BODY);
            assertThat(ruleTags(r.ruleArn())).containsEntry(RunTags.RUN_KEY, run.run().key());
        }));
        assertThat(delayAtStop).containsExactly(String.valueOf(DrainDelay.SHORT));
        assertThat(maintenanceRules()).isEmpty();
        assertThat(deregistrationDelay()).isEqualTo("300");
        assertThat(run.step("verify").orElseThrow().outputs()).containsEntry("maintenanceRule", "removed");
    }

    @Test
    void stopFirst_failedDeploy_removesTheRuleAfterCompensation() {
        List<Integer> rulesAtStop = new CopyOnWriteArrayList<>();
        proxy.after("UpdateService", call -> {
            if (call.request().path("desiredCount").asInt(-1) == 0) {
                rulesAtStop.add(maintenanceRules().size());
            }
        });
        failRolloutsOfAllBut(world.initialTaskDefinition);

        RunView run = deploy(world.strategySpec(proxy.endpoint(), "20s", "stop-first", world.listenerArn));

        assertThat(run.state()).isEqualTo(RunState.ROLLED_BACK);
        assertThat(run.step("compensate").orElseThrow().state()).isEqualTo("SUCCEEDED");
        assertThat(rulesAtStop).containsExactly(1);
        assertThat(maintenanceRules()).isEmpty();
        assertThat(world.service().taskDefinition()).isEqualTo(world.initialTaskDefinition);
    }

    @Test
    void stopFirst_compensationThatBringsNoTaskBack_leavesTheRuleAndSaysSo() {
        failRolloutsOfAllBut(null);

        RunView run = deploy(world.strategySpec(proxy.endpoint(), "20s", "stop-first", world.listenerArn));

        assertThat(run.state()).isEqualTo(RunState.NEEDS_ATTENTION);
        List<Rule> left = maintenanceRules();
        assertThat(left).hasSize(1);
        assertThat(run.reason()).contains("the 503 rule " + left.get(0).ruleArn() + " stays on listener "
                + world.listenerArn + " because no task of service hello in cluster slipway runs");
    }

    @Test
    void plan_saysWhatEachStrategyDoes() {
        TestContext online = online(world.strategySpec(proxy.endpoint(), "20s", "online", world.listenerArn));
        TestContext stopFirst = new TestContext(world.strategySpec(proxy.endpoint(), "20s", "stop-first", world.listenerArn),
                Duration.ofSeconds(20));

        String onlinePlan = String.join("\n", EcsWorld.target(online.spec(), new FakeImageEngine()).plan(online));
        String stopFirstPlan = String.join("\n", EcsWorld.target(stopFirst.spec(), new FakeImageEngine()).plan(stopFirst));

        assertThat(onlinePlan).contains("minimumHealthyPercent 100, maximumPercent 200", "stop-old: no scaling")
                .doesNotContain("desiredCount 0", "CreateRule");
        assertThat(stopFirstPlan).contains("desiredCount 0", "elasticloadbalancing:CreateRule there (path /*, fixed response 503",
                "elasticloadbalancing:DeleteRule of this run's 503 rule");
        assertThat(proxy.operations()).doesNotContain("UpdateService", "CreateRule", "ModifyTargetGroupAttributes");
    }

    /** Every rollout but {@code keep}'s FAILED with no task running, as the deployment circuit breaker reports it. */
    private void failRolloutsOfAllBut(String keep) {
        proxy.rewrite("DescribeServices", (request, response) -> {
            response.withArray("services").forEach(s -> {
                if (!s.path("taskDefinition").asText().equals(keep)) {
                    ObjectNode service = (ObjectNode) s;
                    ArrayNode deployments = service.putArray("deployments");
                    deployments.addObject().put("id", "ecs-svc/1").put("status", "PRIMARY")
                            .put("taskDefinition", service.path("taskDefinition").asText())
                            .put("desiredCount", service.path("desiredCount").asInt()).put("runningCount", 0)
                            .put("rolloutState", "FAILED").put("rolloutStateReason", "ECS deployment circuit breaker: tasks failed to start.");
                    service.put("runningCount", 0);
                }
            });
            return response;
        });
    }

    private TestContext online(SlipwaySpec spec) {
        TestContext ctx = new TestContext(spec, Duration.ofSeconds(20));
        ctx.outputs.put(StepName.CLASSIFY, Outputs.of("strategy", "online"));
        return ctx;
    }

    private static Outputs step(TestContext ctx, StepName step, Outputs out) {
        ctx.outputs.put(step, out);
        return out;
    }

    private RunView deploy(SlipwaySpec spec) {
        try (Engine engine = EcsWorld.engine(spec, EcsWorld.target(spec, new FakeImageEngine()), dir.resolve("state.db"))) {
            return EcsWorld.deploy(engine, COMMIT);
        }
    }

    /** The listener's rules other than its default, read from moto directly. */
    private List<Rule> maintenanceRules() {
        return world.admin.elb().describeRules(b -> b.listenerArn(world.listenerArn)).rules().stream()
                .filter(r -> !Boolean.TRUE.equals(r.isDefault())).toList();
    }

    private Map<String, String> ruleTags(String arn) {
        return world.admin.elb().describeTags(b -> b.resourceArns(arn)).tagDescriptions().get(0).tags().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    }

    private String deregistrationDelay() {
        return world.admin.elb().describeTargetGroupAttributes(b -> b.targetGroupArn(world.targetGroupArn)).attributes()
                .stream().filter(a -> a.key().equals(DrainDelay.ATTRIBUTE)).findFirst().orElseThrow().value();
    }
}
