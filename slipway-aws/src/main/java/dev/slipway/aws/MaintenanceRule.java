package dev.slipway.aws;

import dev.slipway.core.target.StepContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;

/**
 * The rule a stop-first deploy puts on the stage's listener ({@code ecs.listener}) while no task serves: every path
 * answers 503 with a short text body, ahead of the listener's own rules (the lowest free priority number wins). It carries
 * the run's tags, so a resumed run finds its own rule and a run only ever deletes the rule of its own key, or of a run
 * whose stop-old record it took over (that run did not finish). An ALB fixed response sets only status, content type
 * and body: it cannot add a {@code Retry-After} header, so the body says it instead.
 */
final class MaintenanceRule {
    static final String MARKER = "slipway:maintenance";
    static final String BODY = "deploying, retry shortly";
    private static final int MAX_PRIORITY = 50_000;
    private final ElasticLoadBalancingV2Client elb;
    private final String listener;

    MaintenanceRule(ElasticLoadBalancingV2Client elb, String listener) {
        this.elb = elb;
        this.listener = listener;
    }

    String listener() {
        return listener;
    }

    /** This run's rule, created when the listener does not carry it yet; returns its ARN. */
    String ensure(StepContext ctx) {
        Optional<String> mine = find(ctx.runKey());
        if (mine.isPresent()) {
            ctx.log("listener " + listener + " already answers 503 through this run's rule " + mine.get());
            return mine.get();
        }
        int priority = freePriority();
        Map<String, String> tags = new java.util.LinkedHashMap<>(RunTags.of(ctx));
        tags.put(MARKER, "503-while-stopped");
        String arn = AwsCalls.call("CreateRule on listener " + listener, () -> elb.createRule(b -> b.listenerArn(listener)
                .priority(priority)
                .conditions(RuleCondition.builder().field("path-pattern").values("/*").build())
                .actions(Action.builder().type(ActionTypeEnum.FIXED_RESPONSE).fixedResponseConfig(f -> f.statusCode("503")
                        .contentType("text/plain").messageBody(BODY)).build())
                .tags(tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())))
                .rules().get(0).ruleArn();
        ctx.log("listener " + listener + " answers 503 \"" + BODY + "\" (rule " + arn + ", priority " + priority
                + ") while no task serves");
        return arn;
    }

    /** Deletes the rule of run {@code runKey}, if the listener carries one; true when one was deleted. */
    boolean remove(StepContext ctx, String runKey) {
        Optional<String> rule = find(runKey);
        rule.ifPresent(arn -> {
            AwsCalls.callOrMissing("DeleteRule " + arn, () -> elb.deleteRule(b -> b.ruleArn(arn)),
                    software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleNotFoundException.class);
            ctx.log("removed the 503 rule " + arn + " of run " + runKey + " from listener " + listener);
        });
        return rule.isPresent();
    }

    /** The ARN of the maintenance rule run {@code runKey} left on the listener. */
    Optional<String> find(String runKey) {
        List<Rule> rules = rules();
        List<String> arns = rules.stream().filter(r -> !Boolean.TRUE.equals(r.isDefault())).map(Rule::ruleArn).toList();
        for (int i = 0; i < arns.size(); i += 20) {
            List<String> batch = arns.subList(i, Math.min(arns.size(), i + 20));
            for (TagDescription d : AwsCalls.call("DescribeTags of the rules of listener " + listener,
                    () -> elb.describeTags(b -> b.resourceArns(batch))).tagDescriptions()) {
                Map<String, String> tags = new HashMap<>();
                d.tags().forEach(t -> tags.put(t.key(), t.value()));
                if (tags.containsKey(MARKER) && runKey.equals(tags.get(RunTags.RUN_KEY))) {
                    return Optional.of(d.resourceArn());
                }
            }
        }
        return Optional.empty();
    }

    private List<Rule> rules() {
        return AwsCalls.call("DescribeRules of listener " + listener, () -> elb.describeRules(b -> b.listenerArn(listener)))
                .rules();
    }

    /** The lowest priority number no rule of the listener uses: evaluated before all of them. */
    private int freePriority() {
        Set<Integer> used = new HashSet<>();
        rules().stream().map(Rule::priority).filter(p -> p != null && p.matches("\\d+")).map(Integer::parseInt)
                .forEach(used::add);
        for (int p = 1; p <= MAX_PRIORITY; p++) {
            if (!used.contains(p)) {
                return p;
            }
        }
        throw dev.slipway.core.target.TargetException.permanent("listener " + listener + " has no free rule priority");
    }
}
