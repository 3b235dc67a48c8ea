package dev.slipway.aws;

import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import dev.slipway.images.ImageRefs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.rds.RdsClient;

/** The AWS calls a deploy would make on this stage, from describe calls only; changes nothing. */
final class PlanStep {
    private final EcrClient ecr;
    private final RdsClient rds;
    private final EcsService service;
    private final EcsSettings settings;

    PlanStep(EcrClient ecr, RdsClient rds, EcsService service, EcsSettings settings) {
        this.ecr = ecr;
        this.rds = rds;
        this.service = service;
        this.settings = settings;
    }

    List<String> run(StepContext ctx) {
        List<String> lines = new ArrayList<>();
        lines.add("ecs target, region " + settings.spec().region() + (settings.spec().endpoint() == null ? ""
                : ", endpoint " + settings.spec().endpoint()) + "; AWS calls of a deploy:");
        lines.add("build:    " + repository() + "; reuse the commit's image if the repository has it (ecr:DescribeImages"
                + " of a requested digest, an earlier build's digest, tag " + ImageRefs.tag(ctx.commit()) + "), else build "
                + ImageRefs.local(ctx.spec().app(), ctx.commit()) + " from the commit's tree, push it (ECR "
                + "GetAuthorizationToken), record the digest");
        lines.add("          ecs:RegisterTaskDefinition " + template(ctx));
        lines.add("snapshot: " + snapshot(ctx));
        Optional<Service> s = attempt(service::describe, lines);
        String now = s.map(x -> x.taskDefinition() + " x" + x.desiredCount() + " (" + x.runningCount() + " running)")
                .orElse("?");
        lines.add("stop-old: ecs:TagResource (record " + now + "), ecs:UpdateService desiredCount 0 on " + service.where()
                + ", poll DescribeServices/ListTasks/DescribeTasks until no task runs");
        s.flatMap(x -> StoppedService.fromTags(x.tags())).ifPresent(left -> lines.add("          note: the service carries the "
                + "record of unfinished run " + left.runKey() + ": " + left.taskDefinition() + " x" + left.desiredCount()
                + " is what this deploy treats as the previous version"));
        lines.add("migrate:  " + (ctx.spec().migrations().enabled() ? "ecs:RunTask of the new revision with command "
                + ctx.spec().migrations().command() + " and the service's network configuration, poll DescribeTasks "
                + "until STOPPED, logs:GetLogEvents of its stream; exit code 0 passes" : "(no migrations configured)"));
        lines.add("deploy:   ecs:UpdateService to the new revision x" + s.map(x -> x.desiredCount() > 0 ? x.desiredCount()
                : ctx.stage().replicas()).map(String::valueOf).orElse("?") + ", poll DescribeServices until its rollout is COMPLETED");
        lines.addAll(verify(s));
        lines.add("on failure: ecs:UpdateService back to " + now + " and wait for it");
        return lines;
    }

    /** The verify checks, from the service as it is now (its load balancers) and ecs.health-url; calls nothing. */
    private List<String> verify(Optional<Service> s) {
        List<String> lines = new ArrayList<>();
        lines.add("verify:   ecs:DescribeServices (stable on the new revision)");
        List<String> groups = s.map(x -> x.loadBalancers().stream().map(LoadBalancer::targetGroupArn)
                .filter(a -> a != null && !a.isBlank()).distinct().toList()).orElse(List.of());
        if (s.isEmpty()) {
            lines.add("          elasticloadbalancing:DescribeTargetHealth of the service's target groups, if any");
        } else if (groups.isEmpty()) {
            lines.add("          (the service has no load-balancer target group: no target health check)");
        } else {
            groups.forEach(arn -> lines.add("          elasticloadbalancing:DescribeTargetHealth of target group "
                    + TargetHealth.name(arn) + " until its targets are healthy (draining ones ignored)"));
        }
        String url = settings.spec().healthUrl();
        lines.add("          " + (url == null ? "(no ecs.health-url: no HTTP check)" : "GET " + url + " until it answers 2xx"));
        lines.add("          then ecs:UntagResource (drop the record); all within health.timeout");
        return lines;
    }

    private String repository() {
        String name = settings.spec().ecrRepository();
        try {
            String uri = AwsCalls.call("DescribeRepositories " + name, () -> ecr.describeRepositories(b -> b.repositoryNames(name)))
                    .repositories().get(0).repositoryUri();
            return "ECR repository " + uri + " exists";
        } catch (TargetException e) {
            if (e.getCause() instanceof RepositoryNotFoundException) {
                return "ecr:CreateRepository " + name + " (it does not exist yet)";
            }
            return "ECR repository " + name + ": " + e.getMessage();
        }
    }

    private String template(StepContext ctx) {
        try {
            TaskDefinitionTemplate t = TaskDefinitionTemplate.read(ctx.spec().baseDir().resolve(settings.spec().taskDefinition()));
            return "family " + t.family() + " from " + settings.spec().taskDefinition() + " (container "
                    + settings.spec().container() + " gets the image digest and STAGE=" + ctx.stage().name() + ")";
        } catch (TargetException e) {
            return "— PROBLEM: " + e.getMessage();
        }
    }

    private String snapshot(StepContext ctx) {
        String instance = settings.spec().rdsInstance();
        if (instance == null) {
            return "(no ecs.rds-instance: no database snapshot)";
        }
        try {
            String status = AwsCalls.call("DescribeDBInstances " + instance, () -> rds.describeDBInstances(b -> b
                    .dbInstanceIdentifier(instance))).dbInstances().get(0).dbInstanceStatus();
            return "rds:CreateDBSnapshot of " + instance + " (now " + status + ") tagged with stage/commit/run key, poll until "
                    + "available, keep the newest " + ctx.stage().snapshots().keep() + " (rds:DeleteDBSnapshot)";
        } catch (TargetException e) {
            return "rds:CreateDBSnapshot of " + instance + " — PROBLEM: " + e.getMessage();
        }
    }

    private static <T> Optional<T> attempt(java.util.function.Supplier<T> call, List<String> lines) {
        try {
            return Optional.of(call.get());
        } catch (TargetException e) {
            lines.add("PROBLEM: " + e.getMessage());
            return Optional.empty();
        }
    }
}
