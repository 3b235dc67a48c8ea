package dev.slipway.aws;

import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * Waits until the load balancer sees the new release as healthy: in each of the service's target groups every target
 * that is not draining must be {@code healthy}, and at least as many as the deployment's desired count must be.
 * <p>
 * Targets are judged as a group, not matched to the new revision's tasks: stop-old scaled the service to 0 before the
 * deploy, so a group holds only the new tasks' targets plus the old ones, which are draining and ignored (this
 * assumes the target group is the service's own, as docs/aws.md asks). Matching by task IP would need DescribeTasks'
 * ENI details and, for bridge networking, container instances too, and moto starts no tasks for a service to test it.
 */
final class TargetHealth {
    private static final int SHOWN = 5;
    private final ElasticLoadBalancingV2Client elb;
    private final Poller poller;

    TargetHealth(ElasticLoadBalancingV2Client elb, Poller poller) {
        this.elb = elb;
        this.poller = poller;
    }

    /** One target group as one DescribeTargetHealth saw it. */
    record Group(String arn, List<TargetHealthDescription> targets) {
        Group {
            targets = List.copyOf(targets);
        }

        long healthy() {
            return targets.stream().filter(t -> state(t) == TargetHealthStateEnum.HEALTHY).count();
        }

        /** Targets that keep the group from being ready: neither healthy nor on their way out. */
        List<TargetHealthDescription> blocking() {
            return targets.stream().filter(t -> state(t) != TargetHealthStateEnum.HEALTHY && !leaving(t)).toList();
        }

        boolean ready(int expected) {
            return blocking().isEmpty() && healthy() >= expected;
        }

        /** "target group web-tg: 1/2 healthy; 10.0.1.7:8080 unhealthy (Target.FailedHealthChecks: …)". */
        String describe(int expected) {
            StringBuilder sb = new StringBuilder("target group ").append(name(arn)).append(": ").append(healthy())
                    .append('/').append(expected).append(" healthy");
            List<TargetHealthDescription> blocking = blocking();
            blocking.stream().limit(SHOWN).forEach(t -> sb.append("; ").append(target(t)));
            if (blocking.size() > SHOWN) {
                sb.append("; and ").append(blocking.size() - SHOWN).append(" more");
            }
            if (blocking.isEmpty() && healthy() < expected) {
                sb.append(" (no other target registered yet)");
            }
            return sb.toString();
        }

        private static TargetHealthStateEnum state(TargetHealthDescription t) {
            return t.targetHealth() == null ? TargetHealthStateEnum.UNKNOWN_TO_SDK_VERSION : t.targetHealth().state();
        }

        private static boolean leaving(TargetHealthDescription t) {
            return state(t) == TargetHealthStateEnum.DRAINING || state(t) == TargetHealthStateEnum.UNHEALTHY_DRAINING;
        }

        private static String target(TargetHealthDescription t) {
            String where = t.target() == null ? "?" : t.target().id() + (t.target().port() == null ? "" : ":" + t.target().port());
            if (t.targetHealth() == null) {
                return where + " (no health reported)";
            }
            String reason = t.targetHealth().reasonAsString();
            String description = t.targetHealth().description();
            return where + " " + t.targetHealth().stateAsString() + (reason == null && description == null ? ""
                    : " (" + (reason == null ? "" : reason + ": ") + (description == null ? "" : description) + ")");
        }
    }

    /** Polls every group until all are ready; a permanent failure naming the groups and their unhealthy targets at the deadline. */
    List<Group> await(StepContext ctx, List<String> targetGroupArns, int expected) {
        List<Group> done = poller.until(ctx, () -> read(targetGroupArns), groups -> groups.stream().allMatch(g -> g.ready(expected)),
                last -> TargetException.permanent("load-balancer target health did not turn healthy before the step's "
                        + "timeout: " + state(last, targetGroupArns, expected) + ". Check the target group's health check "
                        + "(path, port, matcher), the service's healthCheckGracePeriodSeconds and the tasks' logs; raise "
                        + "health.timeout if the app only starts slowly."));
        done.forEach(g -> ctx.log(g.describe(expected)));
        return done;
    }

    List<Group> read(List<String> targetGroupArns) {
        List<Group> groups = new ArrayList<>();
        for (String arn : targetGroupArns) {
            groups.add(new Group(arn, AwsCalls.call("DescribeTargetHealth of target group " + name(arn),
                    () -> elb.describeTargetHealth(b -> b.targetGroupArn(arn))).targetHealthDescriptions()));
        }
        return groups;
    }

    private static String state(List<Group> last, List<String> arns, int expected) {
        if (last == null) {
            return "the health of " + String.join(", ", arns) + " could not be read";
        }
        return String.join("; ", last.stream().filter(g -> !g.ready(expected))
                .map(g -> g.describe(expected) + " [" + g.arn() + "]").toList());
    }

    /** The name in {@code arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID}, or the whole text. */
    static String name(String arn) {
        int start = arn.indexOf("targetgroup/");
        if (start < 0) {
            return arn;
        }
        String rest = arn.substring(start + "targetgroup/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}
