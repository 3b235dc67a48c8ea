package dev.slipway.aws;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.TargetException;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.RunTaskRequest;
import software.amazon.awssdk.services.ecs.model.RunTaskResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Runs the migration command as a one-off task of the run's {@link MigrationTaskDefinition} (the NEW revision with
 * the command as the app container's entryPoint), with the service's network configuration,
 * waits until it has STOPPED and lets the app container's exit code decide. The tail of its CloudWatch log goes into
 * the run log (and into the failure). A repeated attempt of the same run finds the task it started by its
 * {@code startedBy}, which holds the run key: a run of another journal, even with the same number, never matches.
 */
final class MigrateStep {
    private static final int STARTED_BY_MAX = 36;
    private final EcsClient ecs;
    private final EcsService service;
    private final LogTail logTail;
    private final EcsSettings settings;
    private final RegisterTaskDefinitionStep register;

    MigrateStep(EcsClient ecs, EcsService service, LogTail logTail, EcsSettings settings, RegisterTaskDefinitionStep register) {
        this.ecs = ecs;
        this.service = service;
        this.logTail = logTail;
        this.settings = settings;
        this.register = register;
    }

    /**
     * The {@code startedBy} of a run's migration task: {@code slipway-<run key>}, 34 characters. ECS allows up to 36
     * letters, digits, '-', '/' and '_', so there is no room for the commit (that goes into the task's tags). A key is
     * never cut: a shortened one could match another run's task.
     */
    static String startedBy(StepContext ctx) {
        String s = "slipway-" + ctx.runKey();
        if (s.length() > STARTED_BY_MAX || !s.matches("[A-Za-z0-9_/-]+")) {
            throw new IllegalStateException("run key " + ctx.runKey() + " does not fit ECS startedBy (bug)");
        }
        return s;
    }

    Outputs run(StepContext ctx) {
        String marker = startedBy(ctx);
        String taskDefinition = migrationTaskDefinition(ctx);
        String taskArn = earlierTask(marker).orElseGet(() -> start(ctx, taskDefinition, marker));
        String where = "migration task " + ServiceTasks.id(taskArn) + " in cluster " + service.cluster();
        ctx.log(where + " runs " + String.join(" ", MigrationTaskDefinition.argv(ctx)) + " (entryPoint of "
                + Rollout.shortName(taskDefinition) + ")");
        Task stopped = settings.poller().until(ctx, () -> describe(taskArn), t -> "STOPPED".equals(t.lastStatus()),
                last -> timedOut(where, taskArn, last));
        ContainerDefinition definition = containerDefinition(taskDefinition);
        List<String> tail = logTail.of(definition, taskArn, settings.logTailLines());
        tail.forEach(l -> ctx.log("migration | " + l));
        Integer exit = stopped.containers().stream().filter(c -> c.name().equals(settings.spec().container()))
                .findFirst().map(Container::exitCode).orElse(null);
        if (exit == null || exit != 0) {
            throw TargetException.permanent(where + (exit == null ? " stopped without an exit code" : " exited with " + exit)
                    + " (" + ServiceTasks.describeStopped(stopped) + "); the old version comes back, fix the migration "
                    + "and deploy again. Last log lines:\n  " + String.join("\n  ", tail));
        }
        return Outputs.of("migrationTask", taskArn, "exitCode", "0");
    }

    /** The build registered it; a run whose build predates migration revisions registers it now. */
    private String migrationTaskDefinition(StepContext ctx) {
        Outputs build = ctx.outputsOf(StepName.BUILD).orElseThrow();
        return build.get("migrationTaskDefinition").filter(s -> !s.isBlank())
                .orElseGet(() -> register.migration(ctx, build.require("image")));
    }

    private Optional<String> earlierTask(String marker) {
        for (DesiredStatus status : new DesiredStatus[] {DesiredStatus.RUNNING, DesiredStatus.STOPPED}) {
            List<String> arns = AwsCalls.call("ListTasks startedBy " + marker, () -> ecs.listTasks(b -> b
                    .cluster(service.cluster()).startedBy(marker).desiredStatus(status))).taskArns();
            if (!arns.isEmpty()) {
                return Optional.of(arns.get(0));
            }
        }
        return Optional.empty();
    }

    private String start(StepContext ctx, String taskDefinition, String marker) {
        Service s = service.describe();
        RunTaskRequest.Builder request = RunTaskRequest.builder().cluster(service.cluster()).taskDefinition(taskDefinition)
                .count(1).startedBy(marker)
                .tags(RunTags.of(ctx).entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList());
        if (s.networkConfiguration() != null) {
            request.networkConfiguration(s.networkConfiguration());
        }
        if (s.hasCapacityProviderStrategy() && !s.capacityProviderStrategy().isEmpty()) {
            request.capacityProviderStrategy(s.capacityProviderStrategy());
        } else if (s.launchType() != null) {
            request.launchType(s.launchType());
        }
        if (s.platformVersion() != null) {
            request.platformVersion(s.platformVersion());
        }
        RunTaskResponse r = runTask(ctx, request, taskDefinition);
        if (r.tasks().isEmpty()) {
            throw TargetException.permanent("RunTask of the migration in cluster " + service.cluster() + " started no task: "
                    + r.failures().stream().map(f -> f.arn() + " " + f.reason() + " " + f.detail()).toList()
                    + "; check the cluster's capacity and the task definition's cpu/memory");
        }
        return r.tasks().get(0).taskArn();
    }

    /**
     * RunTask with the run's tags; a policy without {@code ecs:TagResource} on tasks (docs/aws.md before run keys) refuses
     * the tags, and then the task starts untagged: its startedBy still carries the run key, which is what identifies it.
     */
    private RunTaskResponse runTask(StepContext ctx, RunTaskRequest.Builder request, String taskDefinition) {
        String what = "RunTask of " + taskDefinition + " in cluster " + service.cluster();
        try {
            return AwsCalls.call(what, () -> ecs.runTask(request.build()));
        } catch (TargetException e) {
            if (!(e.getCause() instanceof AwsServiceException a) || !AwsCalls.code(a).contains("AccessDenied")
                    || !String.valueOf(a.getMessage()).contains("TagResource")) {
                throw e;
            }
            ctx.log("the migration task starts without tags: " + e.getMessage() + " (allow ecs:TagResource on tasks with "
                    + "ecs:CreateAction RunTask, see docs/aws.md; its startedBy carries the run key either way)");
            return AwsCalls.call(what, () -> ecs.runTask(request.tags(List.of()).build()));
        }
    }

    private Task describe(String taskArn) {
        return AwsCalls.call("DescribeTasks " + taskArn, () -> ecs.describeTasks(b -> b.cluster(service.cluster()).tasks(taskArn)))
                .tasks().stream().findFirst()
                .orElseThrow(() -> TargetException.permanent("migration task " + taskArn + " vanished from cluster "
                        + service.cluster()));
    }

    private ContainerDefinition containerDefinition(String taskDefinition) {
        return AwsCalls.call("DescribeTaskDefinition " + taskDefinition, () -> ecs.describeTaskDefinition(b -> b
                        .taskDefinition(taskDefinition))).taskDefinition().containerDefinitions().stream()
                .filter(c -> c.name().equals(settings.spec().container())).findFirst()
                .orElseThrow(() -> TargetException.permanent(taskDefinition + " has no container " + settings.spec().container()));
    }

    private TargetException timedOut(String where, String taskArn, Task last) {
        try {
            AwsCalls.call("StopTask " + taskArn, () -> ecs.stopTask(b -> b.cluster(service.cluster()).task(taskArn)
                    .reason("Slipway: migration timed out")));
        } catch (TargetException e) {
            // the compensation stops it again
        }
        return TargetException.permanent(where + " did not stop within migrations.timeout (last status "
                + (last == null ? "unknown" : last.lastStatus()) + "); Slipway stopped it. Raise migrations.timeout "
                + "or make the migration faster");
    }
}
