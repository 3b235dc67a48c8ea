package dev.slipway.aws;

import dev.slipway.core.spec.Strategy;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import dev.slipway.images.ImageRefs;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.LoadBalancer;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * The AWS calls a deploy of this stage would make, step by step, decided from the stage as it is now with read calls
 * only; changes nothing. A call written {@code service:Operation} ({@code ecs:RunTask}) is one the deploy makes in that
 * step; calls it makes only in some cases are named without the service prefix, with the case. Each line starts with
 * its step ({@code build:}, {@code snapshot:}, … {@code on failure:}); its continuation lines are indented.
 */
final class PlanStep {
    private static final String MORE = "          ";
    private final BuildImageStep build;
    private final RdsSnapshots snapshots;
    private final EcsService service;
    private final EcsSettings settings;

    PlanStep(BuildImageStep build, RdsSnapshots snapshots, EcsService service, EcsSettings settings) {
        this.build = build;
        this.snapshots = snapshots;
        this.service = service;
        this.settings = settings;
    }

    List<String> run(StepContext ctx) {
        List<String> lines = new ArrayList<>();
        lines.add("ecs target, region " + settings.spec().region() + (settings.spec().endpoint() == null ? ""
                : ", endpoint " + settings.spec().endpoint()) + "; AWS calls of a deploy:");
        lines.addAll(build(ctx));
        lines.add("snapshot: " + snapshot(ctx));
        Optional<Service> s = attempt(service::describe, lines);
        Strategy strategy = strategy(ctx);
        int count = s.map(x -> x.desiredCount() > 0 ? x.desiredCount() : ctx.stage().replicas()).orElse(ctx.stage().replicas());
        if (strategy == Strategy.AUTO) {
            lines.add("strategy: auto: classify decides per deploy; shown is stop-first, an online deploy scales nothing to 0 "
                    + "(see docs/aws.md, \"Online and stop-first\")");
        }
        if (strategy == Strategy.ONLINE) {
            lines.add("strategy: online: migrate, deploy, verify while the old tasks serve; stop-old last, nothing scaled to 0");
            lines.add("migrate:  " + migrate(ctx));
            lines.add("deploy:   ecs:DescribeServices, ecs:TagResource (record " + s.map(x -> Rollout.shortName(x.taskDefinition())
                    + " x" + x.desiredCount()).orElse("what runs") + "), ecs:UpdateService to the new " + family(ctx)
                    + " revision x" + count + " with minimumHealthyPercent " + EcsService.MIN_HEALTHY + ", maximumPercent "
                    + EcsService.MAX_PERCENT + ", poll ecs:DescribeServices until its rollout is COMPLETED");
            lines.addAll(verify(s, Strategy.ONLINE));
            lines.add("stop-old: no scaling: poll ecs:ListTasks until no task of the previous revision runs (DescribeTasks of "
                    + "tasks still stopping), ecs:DescribeTaskDefinition of it (its run key names the previous release)");
            lines.add(onFailure(ctx, s, true));
            return lines;
        }
        lines.addAll(stopOld(s));
        lines.add("migrate:  " + migrate(ctx));
        lines.add("deploy:   ecs:UpdateService to the new " + family(ctx) + " revision x" + count
                + ", poll ecs:DescribeServices until its rollout is COMPLETED");
        lines.addAll(verify(s));
        lines.add(onFailure(ctx, s, false));
        return lines;
    }

    private List<String> build(StepContext ctx) {
        String name = settings.spec().ecrRepository();
        Optional<Repository> repo;
        try {
            repo = build.describe(name);
        } catch (TargetException e) {
            return List.of("build:    ecr:DescribeRepositories " + name + " — PROBLEM: " + e.getMessage());
        }
        List<String> lines = new ArrayList<>();
        lines.add("build:    ecr:DescribeRepositories " + name + repo.map(r -> " (exists: " + r.repositoryUri() + ")")
                .orElse(" (missing), ecr:CreateRepository " + name));
        lines.add(MORE + image(ctx, repo.orElse(Repository.builder().repositoryName(name).build()), repo.isPresent()));
        lines.addAll(taskDefinitions(ctx));
        return lines;
    }

    /** Where the image comes from, looked up as the build step will look it up (see {@link BuildImageStep}). */
    private String image(StepContext ctx, Repository repo, boolean exists) {
        boolean ecr = settings.registryOverride() == null;
        String tag = ImageRefs.tag(ctx.commit());
        if (ecr && !exists) {
            return "ecr:DescribeImages of tag " + tag + " (the new repository has none): " + buildAndPush(ctx, repo, tag);
        }
        try {
            StageImages stored = build.stored(repo);
            String lookup = ecr ? "ecr:DescribeImages of " : "registry HEAD " + stored.reference() + " manifest ";
            if (ctx.requestedImage().isPresent()) {
                return lookup + "the requested image: deploy it, nothing is built";
            }
            Optional<String> earlier = ctx.earlierBuild().flatMap(o -> o.get("digest")).filter(d -> !d.isBlank());
            if (earlier.isPresent() && stored.has(earlier.get())) {
                return lookup + earlier.get() + " (this commit's earlier build): reuse it, nothing is built or pushed";
            }
            Optional<String> tagged = stored.digestOf(tag);
            return lookup + "tag " + tag + tagged.map(d -> ": " + stored.reference() + ":" + tag + " is " + d
                    + ", reuse it, nothing is built or pushed").orElseGet(() -> " (none yet): " + buildAndPush(ctx, repo, tag));
        } catch (TargetException e) {
            return "image lookup — PROBLEM: " + e.getMessage();
        }
    }

    private String buildAndPush(StepContext ctx, Repository repo, String tag) {
        String local = ImageRefs.local(ctx.spec().app(), ctx.commit());
        return settings.registryOverride() == null
                ? "build " + local + " from the commit's tree, ecr:GetAuthorizationToken, push it to "
                + (repo.repositoryUri() == null ? "the new repository as " + repo.repositoryName() : repo.repositoryUri()) + ":" + tag
                + ", record the digest"
                : "build " + local + " from the commit's tree, push it to " + build.stored(repo).reference() + ":" + tag
                + " (ecs.registry, anonymous: no ECR authorization), record the digest";
    }

    private List<String> taskDefinitions(StepContext ctx) {
        String family;
        try {
            family = TaskDefinitionTemplate.read(ctx.spec().baseDir().resolve(settings.spec().taskDefinition())).family();
        } catch (TargetException e) {
            return List.of(MORE + "ecs:RegisterTaskDefinition — PROBLEM: " + e.getMessage());
        }
        List<String> lines = new ArrayList<>();
        lines.add(MORE + "ecs:DescribeTaskDefinition " + family + " (a resumed run reuses its own), ecs:RegisterTaskDefinition "
                + "family " + family + " from " + settings.spec().taskDefinition() + " (container " + settings.spec().container()
                + " gets the image digest and STAGE=" + ctx.stage().name() + ")");
        if (ctx.spec().migrations().enabled()) {
            lines.add(MORE + "ecs:RegisterTaskDefinition family " + MigrationTaskDefinition.family(family) + ": the same, with "
                    + "container " + settings.spec().container() + "'s entryPoint " + MigrationTaskDefinition.argv(ctx)
                    + " and no command (the migration's argv replaces the image's ENTRYPOINT and CMD)");
        }
        return lines;
    }

    private String snapshot(StepContext ctx) {
        String instance = snapshots.instance();
        if (instance == null) {
            return "(no ecs.rds-instance: no database snapshot, no RDS call)";
        }
        try {
            int keep = ctx.stage().snapshots().keep();
            int beyond = Math.max(0, snapshots.ofStage(ctx.spec().app(), ctx.stage().name()).size() + 1 - keep);
            return "rds:CreateDBSnapshot of " + instance + " tagged with stage/commit/run key, poll rds:DescribeDBSnapshots "
                    + "until available, keep the newest " + keep + (beyond == 0 ? " (none to delete)"
                    : ": rds:DeleteDBSnapshot of the " + beyond + " older");
        } catch (TargetException e) {
            return "rds:CreateDBSnapshot of " + instance + " — PROBLEM: " + e.getMessage();
        }
    }

    private List<String> stopOld(Optional<Service> s) {
        String revision = s.map(x -> Rollout.shortName(x.taskDefinition())).orElse("the service's revision");
        String now = revision + s.map(x -> " x" + x.desiredCount()).orElse("");
        boolean running = s.map(x -> x.desiredCount() > 0).orElse(true);
        List<String> lines = new ArrayList<>();
        lines.add("stop-old: ecs:DescribeServices, ecs:TagResource (record " + now + ")"
                + (running ? ", ecs:UpdateService desiredCount 0 on " + service.where() : " (desiredCount is 0 already)")
                + ", poll until no task runs (ecs:ListTasks; DescribeTasks of tasks still stopping)"
                + (running ? ", ecs:DescribeTaskDefinition of " + revision + " (its run key names "
                + "the previous release)" : ""));
        s.flatMap(x -> StoppedService.fromTags(x.tags())).ifPresent(left -> lines.add(MORE + "note: the service carries "
                + "the record of unfinished run " + left.runKey() + ": " + Rollout.shortName(left.taskDefinition()) + " x"
                + left.desiredCount() + " is what this deploy treats as the previous version"));
        String listener = settings.spec().listener();
        if (listener != null) {
            lines.add(MORE + "before the scale-down: elasticloadbalancing:DescribeRules and DescribeTags of listener " + listener
                    + ", elasticloadbalancing:CreateRule there (path /*, fixed response 503 text/plain \"" + MaintenanceRule.BODY
                    + "\", lowest free priority, tagged with the run key; a resumed run keeps its own); for each target group "
                    + "of the service DescribeTargetGroupAttributes and, when its deregistration delay is over " + DrainDelay.SHORT
                    + " s, AddTags (old value) and ModifyTargetGroupAttributes to " + DrainDelay.SHORT + " s, put back once no task runs");
        }
        return lines;
    }

    private String migrate(StepContext ctx) {
        if (!ctx.spec().migrations().enabled()) {
            return "(no migrations configured)";
        }
        boolean logs = template(ctx).map(t -> awslogs(ctx, t)).orElse(false);
        return "ecs:ListTasks startedBy slipway-<run key> (a resumed run adopts its own task), ecs:DescribeServices "
                + "(network configuration, launch type), ecs:RunTask of the new " + MigrationTaskDefinition.family(family(ctx))
                + " revision, which runs `" + String.join(" ", MigrationTaskDefinition.argv(ctx)) + "` in place of the "
                + "image's ENTRYPOINT and CMD; poll ecs:DescribeTasks until STOPPED, ecs:DescribeTaskDefinition, "
                + (logs ? "logs:GetLogEvents of its awslogs stream" : "(no awslogs logConfiguration: no log tail)")
                + "; exit code 0 passes";
    }

    /** The verify checks, from the service as it is now (its load balancers) and ecs.health-url. */
    private List<String> verify(Optional<Service> s) {
        return verify(s, Strategy.STOP_FIRST);
    }

    private List<String> verify(Optional<Service> s, Strategy strategy) {
        List<String> lines = new ArrayList<>();
        lines.add("verify:   ecs:DescribeServices (stable on the new revision)");
        List<String> groups = s.map(x -> x.loadBalancers().stream().map(LoadBalancer::targetGroupArn)
                .filter(a -> a != null && !a.isBlank()).distinct().toList()).orElse(List.of());
        if (s.isEmpty()) {
            lines.add(MORE + "DescribeTargetHealth of the service's target groups, if it has any");
        } else if (groups.isEmpty()) {
            lines.add(MORE + "(the service has no load-balancer target group: no target health check)");
        } else {
            groups.forEach(arn -> lines.add(MORE + "elasticloadbalancing:DescribeTargetHealth of target group "
                    + TargetHealth.name(arn) + " until its targets are healthy (draining ones ignored)"));
        }
        String url = settings.spec().healthUrl();
        if (settings.spec().listener() != null && strategy != Strategy.ONLINE) {
            lines.add(MORE + "after target health: elasticloadbalancing:DeleteRule of this run's 503 rule on the listener");
        }
        lines.add(MORE + (url == null ? "(no ecs.health-url: no HTTP check)" : "GET " + url + " until it answers 2xx"));
        lines.add(MORE + "then ecs:UntagResource (drop the record); all within health.timeout");
        return lines;
    }

    /** The run's strategy when classify has run, else the stage's setting ({@code auto} when it leaves it open). */
    private static Strategy strategy(StepContext ctx) {
        return ctx.outputsOf(dev.slipway.core.target.StepName.CLASSIFY).isPresent() ? ctx.strategy() : ctx.stage().strategy();
    }

    private String onFailure(StepContext ctx, Optional<Service> s, boolean online) {
        if (online) {
            return "on failure after deploy started: " + (ctx.spec().migrations().enabled() ? "StopTask of the migration "
                    + "task if it still runs, " : "") + "ecs:UpdateService back to " + s.map(x -> Rollout.shortName(x.taskDefinition())
                    + " x" + x.desiredCount()).orElse("what it runs now") + " with minimumHealthyPercent " + EcsService.MIN_HEALTHY
                    + ", poll ecs:DescribeServices until that rollout completes, ecs:UntagResource"
                    + (ctx.stage().snapshots().restoreOnFailure() ? ", then rds:RestoreDBInstanceFromDBSnapshot into a new instance" : "");
        }
        String back = s.map(x -> Rollout.shortName(x.taskDefinition()) + " x" + x.desiredCount()
                + (x.desiredCount() == 0 ? " (it runs no task now: nothing serves afterwards)" : "")).orElse("what it runs now");
        return "on failure after stop-old: " + (ctx.spec().migrations().enabled() ? "StopTask of the migration task if it "
                + "still runs, " : "") + "ecs:UpdateService back to " + back + ", poll ecs:DescribeServices until that "
                + "rollout completes" + (settings.spec().listener() == null ? "" : ", elasticloadbalancing:DeleteRule of "
                + "the run's 503 rule (kept, and named in the failure, only if the restore fails and no task runs)")
                + ", ecs:UntagResource" + (ctx.stage().snapshots().restoreOnFailure()
                ? ", then rds:RestoreDBInstanceFromDBSnapshot into a new instance" : "");
    }

    private String family(StepContext ctx) {
        return template(ctx).map(TaskDefinitionTemplate::family).orElse("?");
    }

    private Optional<TaskDefinitionTemplate> template(StepContext ctx) {
        try {
            TaskDefinitionTemplate t = TaskDefinitionTemplate.read(ctx.spec().baseDir().resolve(settings.spec().taskDefinition()));
            t.family();
            return Optional.of(t);
        } catch (TargetException e) {
            return Optional.empty();
        }
    }

    /** Whether the app container logs to CloudWatch Logs (then the migration's log tail is read). */
    private boolean awslogs(StepContext ctx, TaskDefinitionTemplate t) {
        try {
            RegisterTaskDefinitionRequest r = t.render(settings.spec().container(), "image", TaskEnvironment.of(ctx), RunTags.of(ctx), ScrapeLabels.of(ctx));
            return r.containerDefinitions().stream().filter(c -> c.name().equals(settings.spec().container()))
                    .map(ContainerDefinition::logConfiguration).anyMatch(l -> l != null && "awslogs".equals(l.logDriverAsString()));
        } catch (TargetException e) {
            return false;
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
