package dev.slipway.aws;

import dev.slipway.core.spec.Strategy;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.TargetException;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Brings back what stop-old recorded (from the journal, else from the service's tags): stops a migration task that
 * is still running, updates the service to the previous revision and count, waits for that rollout, clears the tags.
 * Restoring the snapshot (after the service is back) makes a new RDS instance and says how to switch; it never
 * switches by itself. Outputs {@code restored}: the release now serving, its rollout complete (see
 * {@link ReleaseNames}), or {@code none} when nothing serves.
 */
final class CompensateStep {
    private final EcsClient ecs;
    private final EcsService service;
    private final Rollout rollout;
    private final ReleaseNames releases;
    private final RestoreSnapshotStep restore;
    private final MaintenanceRule rule;

    /** {@code rule} null when the stage names no listener. */
    CompensateStep(EcsClient ecs, EcsService service, Rollout rollout, ReleaseNames releases, RestoreSnapshotStep restore,
                   MaintenanceRule rule) {
        this.rule = rule;
        this.ecs = ecs;
        this.service = service;
        this.rollout = rollout;
        this.releases = releases;
        this.restore = restore;
    }

    Outputs run(StepContext ctx, boolean restoreSnapshot) {
        stopMigration(ctx);
        Service s = service.describe();
        Optional<StoppedService> before = ctx.outputsOf(StepName.STOP_OLD).flatMap(StoppedService::fromOutputs)
                .or(() -> ctx.outputsOf(StepName.DEPLOY).flatMap(StoppedService::fromOutputs)) // online: deploy recorded
                .or(() -> StoppedService.fromTags(s.tags()));
        if (before.isEmpty()) {
            Outputs out = unchanged(ctx, s);
            removeRule(ctx);
            return out;
        }
        StoppedService b = before.get();
        if (ctx.strategy() == Strategy.ONLINE) {
            service.rollingUpdate(s, b.taskDefinition(), b.desiredCount());
            ctx.log("online: rolling " + service.where() + " back to " + b.taskDefinition() + " x" + b.desiredCount()
                    + " (it was never scaled down)");
        } else {
            service.update(b.taskDefinition(), b.desiredCount());
            ctx.log("bringing back " + b.taskDefinition() + " x" + b.desiredCount() + " on " + service.where());
        }
        try {
            rollout.await(ctx, b.taskDefinition(), b.desiredCount(), "restore of " + b.taskDefinition() + " on " + service.where());
        } catch (TargetException e) {
            throw ruleAfterFailure(ctx, e);
        }
        removeRule(ctx);
        service.untag(s.serviceArn(), StoppedService.TAG_KEYS);
        if (restoreSnapshot) {
            restoreSnapshot(ctx); // after the service is back: a restore makes a new instance and takes minutes
        }
        String restored = releases.of(b.taskDefinition(), b.desiredCount());
        if (restored.equals(ReleaseNames.NONE)) {
            ctx.log(service.where() + " ran no task before this run; it is back at 0 and nothing was brought back");
        }
        return Outputs.of("restored", restored, "taskDefinition", b.taskDefinition(),
                "desiredCount", String.valueOf(b.desiredCount()));
    }

    /**
     * No stop-old record in the journal or the tags: stop-old records before it scales, so it changed nothing. What
     * still runs is what served before; it counts as restored once its rollout is seen complete.
     */
    private Outputs unchanged(StepContext ctx, Service s) {
        String serving = releases.of(s.taskDefinition(), s.desiredCount());
        boolean ours = ctx.outputsOf(StepName.BUILD).flatMap(o -> o.get("taskDefinition"))
                .filter(td -> Rollout.sameTaskDefinition(td, s.taskDefinition())).isPresent();
        if (serving.equals(ReleaseNames.NONE) || ours) {
            ctx.log(service.where() + " has no stop-old record of this run (journal or tags) and "
                    + (ours ? "runs this run's revision" : "runs no task") + ": nothing to bring back");
            return Outputs.of("restored", ReleaseNames.NONE);
        }
        ctx.log(service.where() + " was not changed by this run (no stop-old record in the journal or its tags); checking "
                + "that " + s.taskDefinition() + " x" + s.desiredCount() + " still serves");
        rollout.await(ctx, s.taskDefinition(), s.desiredCount(), "check of " + s.taskDefinition() + " on " + service.where());
        return Outputs.of("restored", serving, "taskDefinition", s.taskDefinition(),
                "desiredCount", String.valueOf(s.desiredCount()));
    }

    private void stopMigration(StepContext ctx) {
        String marker = MigrateStep.startedBy(ctx);
        List<String> arns = AwsCalls.call("ListTasks startedBy " + marker, () -> ecs.listTasks(b -> b
                .cluster(service.cluster()).startedBy(marker).desiredStatus(DesiredStatus.RUNNING))).taskArns();
        if (arns.isEmpty()) {
            return;
        }
        AwsCalls.call("DescribeTasks of the migration", () -> ecs.describeTasks(b -> b.cluster(service.cluster()).tasks(arns)))
                .tasks().stream().filter(t -> !"STOPPED".equals(t.lastStatus())).forEach(t -> {
                    AwsCalls.call("StopTask " + t.taskArn(), () -> ecs.stopTask(b -> b.cluster(service.cluster())
                            .task(t.taskArn()).reason("Slipway: run " + ctx.runKey() + " is being rolled back")));
                    ctx.log("stopped migration task " + ServiceTasks.id(t.taskArn()));
                });
    }

    private void removeRule(StepContext ctx) {
        if (rule != null) {
            rule.remove(ctx, ctx.runKey());
        }
    }

    /**
     * The restore did not complete. The 503 rule stays only while no task of the service runs (a 503 with a reason
     * beats a 502/503 from an empty target group and keeps clients retrying); once any task runs it goes, since it
     * would hide a release that serves. Either way the failure says which.
     */
    private TargetException ruleAfterFailure(StepContext ctx, TargetException e) {
        if (rule == null) {
            return e;
        }
        try {
            Optional<String> arn = rule.find(ctx.runKey());
            if (arn.isEmpty()) {
                return e;
            }
            Service now = service.describe();
            if (now.runningCount() > 0) {
                rule.remove(ctx, ctx.runKey());
                return rewrap(e, e.getMessage() + "\n  the 503 rule " + arn.get() + " was removed from listener "
                        + rule.listener() + ": " + now.runningCount() + " task(s) run");
            }
            return rewrap(e, e.getMessage() + "\n  the 503 rule " + arn.get() + " stays on listener " + rule.listener()
                    + " because no task of " + service.where() + " runs; a later compensation of this run removes it, "
                    + "or delete it (aws elbv2 delete-rule --rule-arn " + arn.get() + ") once the service serves");
        } catch (TargetException again) {
            return rewrap(e, e.getMessage() + "\n  (could not check the 503 rule on listener " + rule.listener() + ": "
                    + again.getMessage() + ")");
        }
    }

    private static TargetException rewrap(TargetException e, String message) {
        return e.isTransient() ? TargetException.transientFailure(message, e) : TargetException.permanent(message, e);
    }

    private void restoreSnapshot(StepContext ctx) {
        String id = ctx.outputsOf(StepName.SNAPSHOT).flatMap(o -> o.get("snapshot")).orElse("none");
        if (id.equals("none")) {
            ctx.log("snapshots.restore-on-failure is set but this run took no snapshot; not restoring");
            return;
        }
        try {
            restore.run(ctx, id);
        } catch (TargetException e) {
            ctx.log("could not restore snapshot " + id + ": " + e.getMessage() + "; bringing the service back anyway");
        }
    }
}
