package dev.slipway.aws;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Checks, all within the step's deadline: the service is stable on the new revision (its rollout is COMPLETED and
 * every task runs); the targets of its load-balancer target groups are healthy; the optional {@code ecs.health-url}
 * answers 2xx. The 503 rule of a stop-first deploy ({@code ecs.listener}) goes once the tasks serve (after the target
 * health check, before the URL, which usually goes through that listener). Then removes the stop-old record from the service's tags: from here on the run can no longer need it.
 * A failed check keeps the record, so compensation still knows what ran before.
 */
final class VerifyStep {
    private final EcsService service;
    private final Rollout rollout;
    private final TargetHealth targetHealth;
    private final HealthUrl healthUrl;
    private final String url;
    private final MaintenanceRule rule;

    /** {@code rule} null when the stage names no listener. */
    VerifyStep(EcsService service, Rollout rollout, TargetHealth targetHealth, HealthUrl healthUrl, String url,
               MaintenanceRule rule) {
        this.rule = rule;
        this.service = service;
        this.rollout = rollout;
        this.targetHealth = targetHealth;
        this.healthUrl = healthUrl;
        this.url = url;
    }

    Outputs run(StepContext ctx) {
        Outputs deployed = ctx.outputsOf(StepName.DEPLOY).orElseThrow();
        String taskDefinition = deployed.require("taskDefinition");
        int count = Integer.parseInt(deployed.require("desiredCount"));
        Service s = rollout.await(ctx, taskDefinition, count, "verification of " + taskDefinition + " on " + service.where());
        Map<String, String> out = new LinkedHashMap<>();
        out.put("runningCount", String.valueOf(s.runningCount()));
        out.put("taskDefinition", taskDefinition);
        List<String> checks = new ArrayList<>(List.of("service-stable"));
        List<String> groups = targetGroups(ctx, s);
        if (!groups.isEmpty()) {
            List<TargetHealth.Group> seen = targetHealth.await(ctx, groups, count);
            out.put("targetGroups", String.valueOf(seen.size()));
            out.put("targetsHealthy", String.valueOf(seen.stream().mapToLong(TargetHealth.Group::healthy).sum()));
            checks.add("target-health");
        }
        if (rule != null && rule.remove(ctx, ctx.runKey())) {
            out.put("maintenanceRule", "removed");
        }
        if (url != null) {
            out.put("healthUrl", url.replaceFirst("[?#].*$", "")); // a query may carry a token: it is not journaled
            out.put("healthUrlStatus", String.valueOf(healthUrl.await(ctx, url).status()));
            checks.add("health-url");
        }
        out.put("checks", String.join(",", checks));
        service.untag(s.serviceArn(), StoppedService.TAG_KEYS);
        return new Outputs(out);
    }

    /** The service's target groups; classic load balancers (no target group) are named in the log and not checked. */
    static List<String> targetGroups(StepContext ctx, Service s) {
        List<String> arns = new ArrayList<>();
        for (LoadBalancer lb : s.loadBalancers()) {
            if (lb.targetGroupArn() != null && !lb.targetGroupArn().isBlank()) {
                if (!arns.contains(lb.targetGroupArn())) {
                    arns.add(lb.targetGroupArn());
                }
            } else if (lb.loadBalancerName() != null) {
                ctx.log("classic load balancer " + lb.loadBalancerName() + ": instance health is not checked");
            }
        }
        return arns;
    }
}
