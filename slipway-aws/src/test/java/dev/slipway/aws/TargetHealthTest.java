package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.spec.SpecLoader;
import dev.slipway.core.target.TargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupNotFoundException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthReasonEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

class TargetHealthTest {
    static final String TG = "arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/web-tg/6d0ecf831eec9f09";
    final TestContext ctx = new TestContext(new SpecLoader(Set.of("ecs")).parse(PollerTest.SPEC, "slipway.yml", Path.of("/p")),
            Duration.ofSeconds(30));
    final List<Duration> pauses = new ArrayList<>();
    final Poller poller = new Poller(Duration.ofMillis(150), 1.6, Duration.ofSeconds(3), d -> {
        pauses.add(d);
        ctx.clock.advance(d);
    });
    final ScriptedElb elb = new ScriptedElb();
    final TargetHealth health = new TargetHealth(elb, poller);

    @Test
    void group_allHealthyAndEnough_isReady() {
        assertThat(group(healthy("10.0.1.1"), healthy("10.0.1.2")).ready(2)).isTrue();
    }

    @Test
    void group_drainingOldTargets_areIgnored() {
        TargetHealth.Group g = group(healthy("10.0.1.1"), healthy("10.0.1.2"),
                target("10.0.0.9", TargetHealthStateEnum.DRAINING, TargetHealthReasonEnum.TARGET_DEREGISTRATION_IN_PROGRESS, null),
                target("10.0.0.8", TargetHealthStateEnum.UNHEALTHY_DRAINING, null, null));
        assertThat(g.ready(2)).isTrue();
        assertThat(g.healthy()).isEqualTo(2);
    }

    @Test
    void group_oneInitialOrUnhealthy_isNotReady() {
        assertThat(group(healthy("10.0.1.1"), target("10.0.1.2", TargetHealthStateEnum.INITIAL,
                TargetHealthReasonEnum.ELB_REGISTRATION_IN_PROGRESS, null)).ready(2)).isFalse();
        assertThat(group(healthy("10.0.1.1"), healthy("10.0.1.2"), unhealthy("10.0.1.3")).ready(2)).isFalse();
    }

    @Test
    void group_fewerHealthyThanDesired_isNotReadyAndSaysSo() {
        TargetHealth.Group g = group(healthy("10.0.1.1"));
        assertThat(g.ready(2)).isFalse();
        assertThat(g.describe(2)).isEqualTo("target group web-tg: 1/2 healthy (no other target registered yet)");
    }

    @Test
    void group_unhealthyTarget_describedWithReasonAndDescription() {
        assertThat(group(healthy("10.0.1.1"), unhealthy("10.0.1.2")).describe(2)).isEqualTo("target group web-tg: 1/2 healthy; "
                + "10.0.1.2:8080 unhealthy (Target.FailedHealthChecks: Health checks failed with these codes: [503])");
    }

    @Test
    void name_targetGroupArn_isItsName() {
        assertThat(TargetHealth.name(TG)).isEqualTo("web-tg");
        assertThat(TargetHealth.name("not-an-arn")).isEqualTo("not-an-arn");
    }

    @Test
    void await_targetTurnsHealthyAfterInitial_returnsGroupsAndBacksOff() {
        elb.answers.add(List.of(target("10.0.1.1", TargetHealthStateEnum.INITIAL, TargetHealthReasonEnum.ELB_REGISTRATION_IN_PROGRESS, null)));
        elb.answers.add(List.of(target("10.0.1.1", TargetHealthStateEnum.INITIAL, TargetHealthReasonEnum.ELB_INITIAL_HEALTH_CHECKING, null)));
        elb.answers.add(List.of(healthy("10.0.1.1")));

        List<TargetHealth.Group> groups = health.await(ctx, List.of(TG), 1);

        assertThat(groups).singleElement().satisfies(g -> assertThat(g.healthy()).isEqualTo(1));
        assertThat(pauses).containsExactly(Duration.ofMillis(150), Duration.ofMillis(240));
        assertThat(elb.asked).containsOnly(TG);
        assertThat(ctx.logs).contains("target group web-tg: 1/1 healthy");
    }

    @Test
    void await_targetStaysUnhealthy_failsAtDeadlineNamingGroupTargetAndReason() {
        elb.always = List.of(healthy("10.0.1.1"), unhealthy("10.0.1.2"));

        assertThatThrownBy(() -> health.await(ctx, List.of(TG), 2))
                .isInstanceOfSatisfying(TargetException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("did not turn healthy before the step's timeout")
                .hasMessageContaining("target group web-tg: 1/2 healthy")
                .hasMessageContaining("10.0.1.2:8080 unhealthy (Target.FailedHealthChecks: Health checks failed with these codes: [503])")
                .hasMessageContaining(TG).hasMessageContaining("health.timeout");
        assertThat(ctx.clock.instant()).isBefore(ctx.deadline()).isAfter(ctx.deadline().minusSeconds(2));
    }

    @Test
    void await_throttled_keepsPolling() {
        elb.failures.add(throttling());
        elb.failures.add(throttling());
        elb.always = List.of(healthy("10.0.1.1"));

        assertThat(health.await(ctx, List.of(TG), 1)).hasSize(1);
        assertThat(pauses).hasSize(2);
    }

    @Test
    void await_targetGroupGone_failsAtOnce() {
        elb.failures.add(TargetGroupNotFoundException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("TargetGroupNotFound").errorMessage("One or more target groups not found").build()).build());

        assertThatThrownBy(() -> health.await(ctx, List.of(TG), 1)).hasMessageContaining("DescribeTargetHealth of target group web-tg")
                .hasMessageContaining("TargetGroupNotFound");
        assertThat(pauses).isEmpty();
    }

    static TargetHealth.Group group(TargetHealthDescription... targets) {
        return new TargetHealth.Group(TG, List.of(targets));
    }

    static TargetHealthDescription healthy(String ip) {
        return target(ip, TargetHealthStateEnum.HEALTHY, null, null);
    }

    static TargetHealthDescription unhealthy(String ip) {
        return target(ip, TargetHealthStateEnum.UNHEALTHY, TargetHealthReasonEnum.TARGET_FAILED_HEALTH_CHECKS,
                "Health checks failed with these codes: [503]");
    }

    static TargetHealthDescription target(String ip, TargetHealthStateEnum state, TargetHealthReasonEnum reason, String description) {
        return TargetHealthDescription.builder().target(t -> t.id(ip).port(8080))
                .targetHealth(h -> h.state(state).reason(reason).description(description)).build();
    }

    private static ElasticLoadBalancingV2Exception throttling() {
        return (ElasticLoadBalancingV2Exception) ElasticLoadBalancingV2Exception.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("Throttling").errorMessage("Rate exceeded").build()).build();
    }

    /** Hand-written fake: answers DescribeTargetHealth from a script (failures first, then answers, then {@code always}). */
    static final class ScriptedElb implements ElasticLoadBalancingV2Client {
        final Deque<RuntimeException> failures = new ArrayDeque<>();
        final Deque<List<TargetHealthDescription>> answers = new ArrayDeque<>();
        final List<String> asked = new ArrayList<>();
        List<TargetHealthDescription> always = List.of();

        @Override
        public DescribeTargetHealthResponse describeTargetHealth(DescribeTargetHealthRequest request) {
            asked.add(request.targetGroupArn());
            if (!failures.isEmpty()) {
                throw failures.poll();
            }
            List<TargetHealthDescription> next = answers.isEmpty() ? always : answers.poll();
            return DescribeTargetHealthResponse.builder().targetHealthDescriptions(next).build();
        }

        @Override
        public String serviceName() {
            return "elasticloadbalancing";
        }

        @Override
        public void close() {
        }
    }
}
