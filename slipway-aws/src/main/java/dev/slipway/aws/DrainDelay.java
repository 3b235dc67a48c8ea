package dev.slipway.aws;

import dev.slipway.core.target.StepContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupAttribute;

/**
 * Keeps the target groups' deregistration delay from stretching a stop-first stop: ECS stops a task only after its
 * target has drained, for {@code deregistration_delay.timeout_seconds} (300 s unless set). While the 503 rule answers
 * every request, nothing new reaches the targets, so stop-old shortens the delay to {@link #SHORT} seconds for the stop
 * and puts the old value back as soon as no task runs. The old value is tagged on the target group first, so a run that
 * dies in between leaves it where the next stop-old (or a person) finds it.
 */
final class DrainDelay {
    static final String ATTRIBUTE = "deregistration_delay.timeout_seconds";
    static final String TAG = "slipway:previous-deregistration-delay";
    static final int SHORT = 5;
    private final ElasticLoadBalancingV2Client elb;

    DrainDelay(ElasticLoadBalancingV2Client elb) {
        this.elb = elb;
    }

    /** Shortens the delay of each group that drains longer than {@link #SHORT}, remembering the old value in a tag. */
    void shorten(StepContext ctx, List<String> targetGroups) {
        for (String arn : targetGroups) {
            String remembered = tags(arn).get(TAG);
            int now = current(arn);
            if (remembered == null && now <= SHORT) {
                continue;
            }
            if (remembered == null) {
                remembered = String.valueOf(now);
                String old = remembered;
                AwsCalls.call("AddTags to target group " + TargetHealth.name(arn), () -> elb.addTags(b -> b.resourceArns(arn)
                        .tags(Tag.builder().key(TAG).value(old).build(), Tag.builder().key(RunTags.RUN_KEY).value(ctx.runKey()).build())));
            }
            set(arn, SHORT);
            ctx.log("target group " + TargetHealth.name(arn) + ": deregistration delay " + SHORT + " s for the stop (it was "
                    + remembered + " s; the 503 rule keeps new requests away)");
        }
    }

    /** Puts back the delay remembered in each group's tag and drops the tag. */
    void restore(StepContext ctx, List<String> targetGroups) {
        for (String arn : targetGroups) {
            String remembered = tags(arn).get(TAG);
            if (remembered == null || !remembered.matches("\\d{1,4}")) {
                continue;
            }
            set(arn, Integer.parseInt(remembered));
            AwsCalls.call("RemoveTags from target group " + TargetHealth.name(arn),
                    () -> elb.removeTags(b -> b.resourceArns(arn).tagKeys(TAG)));
            ctx.log("target group " + TargetHealth.name(arn) + ": deregistration delay back to " + remembered + " s");
        }
    }

    private int current(String arn) {
        return AwsCalls.call("DescribeTargetGroupAttributes of " + TargetHealth.name(arn),
                () -> elb.describeTargetGroupAttributes(b -> b.targetGroupArn(arn))).attributes().stream()
                .filter(a -> ATTRIBUTE.equals(a.key()) && a.value() != null && a.value().matches("\\d+"))
                .map(a -> Integer.parseInt(a.value())).findFirst().orElse(300);
    }

    private void set(String arn, int seconds) {
        AwsCalls.call("ModifyTargetGroupAttributes of " + TargetHealth.name(arn), () -> elb.modifyTargetGroupAttributes(b -> b
                .targetGroupArn(arn).attributes(TargetGroupAttribute.builder().key(ATTRIBUTE).value(String.valueOf(seconds)).build())));
    }

    private Map<String, String> tags(String arn) {
        Map<String, String> tags = new HashMap<>();
        AwsCalls.call("DescribeTags of target group " + TargetHealth.name(arn), () -> elb.describeTags(b -> b.resourceArns(arn)))
                .tagDescriptions().forEach(d -> d.tags().forEach(t -> tags.put(t.key(), t.value())));
        return tags;
    }
}
