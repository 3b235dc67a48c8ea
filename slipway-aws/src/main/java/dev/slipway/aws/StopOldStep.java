package dev.slipway.aws;

import dev.slipway.core.spec.Strategy;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.TargetException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * Records what the service runs (journal outputs and service tags, tags first), scales it to 0 and waits until none
 * of its tasks runs. When the tags already hold a record, a run that died after scaling left it: that record, not
 * the service's present 0, is what came before, and this run takes it over. Outputs {@code previous}: the release that
 * served (see {@link ReleaseNames}), or {@code none}. With {@code ecs.listener}, a rule answering 503 goes on the listener
 * before the scale-down ({@link MaintenanceRule}; verify or compensation removes it) and the target groups' deregistration
 * delay is short for the stop ({@link DrainDelay}). Online, it runs last and scales nothing (see {@link #retire}).
 */
final class StopOldStep {
    private final EcsService service;
    private final ServiceTasks tasks;
    private final ReleaseNames releases;
    private final Poller poller;
    private final MaintenanceRule rule;
    private final DrainDelay drain;

    /** {@code rule} null when the stage names no listener (then no 503 rule and the drain delay is left alone). */
    StopOldStep(EcsService service, ServiceTasks tasks, ReleaseNames releases, Poller poller, MaintenanceRule rule,
                DrainDelay drain) {
        this.service = service;
        this.tasks = tasks;
        this.releases = releases;
        this.poller = poller;
        this.rule = rule;
        this.drain = drain;
    }

    Outputs run(StepContext ctx) {
        if (ctx.strategy() == Strategy.ONLINE) {
            return retire(ctx);
        }
        Service s = service.describe();
        Optional<StoppedService> left = StoppedService.fromTags(s.tags());
        Map<String, String> out = new LinkedHashMap<>(record(ctx, s));
        StoppedService before = StoppedService.fromOutputs(new Outputs(out)).orElseThrow();
        List<String> groups = VerifyStep.targetGroups(ctx, s);
        if (rule != null) {
            rule.ensure(ctx);
            left.filter(l -> !l.leftBy(ctx.runKey())).ifPresent(l -> rule.remove(ctx, l.runKey()));
            drain.shorten(ctx, groups);
        }
        if (s.desiredCount() != 0) {
            service.scale(0);
        }
        poller.until(ctx, this::running, List::isEmpty, last -> TargetException.permanent(service.where()
                + " still runs " + (last == null ? "tasks" : String.join(", ", last)) + " after being scaled to 0; "
                + "raise timeouts.stop or look at the tasks' stop behaviour (stopTimeout, SIGTERM handling)"));
        ctx.log(service.where() + " is at 0 tasks");
        if (rule != null) {
            drain.restore(ctx, groups);
        }
        String previous = releases.of(before.taskDefinition(), before.desiredCount());
        ctx.log("previous release: " + (previous.equals(ReleaseNames.NONE) ? "none (the service ran no task)" : previous));
        out.put("previous", previous);
        return new Outputs(out);
    }

    /**
     * Records what the service runs now (or what an unfinished run's record says ran) in its tags and returns it as
     * outputs ({@link StoppedService#toOutputs}). Stop-old does it before scaling to 0; an online deploy before it
     * rolls the new revision, so that compensation knows what to go back to.
     */
    Map<String, String> record(StepContext ctx, Service s) {
        Optional<StoppedService> left = StoppedService.fromTags(s.tags());
        StoppedService before = left
                .map(l -> new StoppedService(l.taskDefinition(), l.desiredCount(), ctx.runKey(), ctx.commit()))
                .orElseGet(() -> new StoppedService(s.taskDefinition(), s.desiredCount(), ctx.runKey(), ctx.commit()));
        String source = left.map(l -> describeLeft(ctx, l)).orElse("service");
        service.tag(s.serviceArn(), before.toTags());
        ctx.log("recorded " + service.where() + " as " + before.taskDefinition() + " x" + before.desiredCount()
                + " (journal and service tags)");
        return new LinkedHashMap<>(before.toOutputs(source).values());
    }

    /**
     * Online: runs after verify, when the rolling update of deploy has already replaced the old tasks. Nothing is scaled;
     * it waits until no task of the previous revision still runs (ECS drains them after the new ones are healthy) and
     * names the previous release.
     */
    private Outputs retire(StepContext ctx) {
        Outputs deployed = ctx.outputsOf(StepName.DEPLOY)
                .orElseThrow(() -> new IllegalStateException("online stop-old without deploy outputs (bug)"));
        StoppedService before = StoppedService.fromOutputs(deployed)
                .orElseThrow(() -> new IllegalStateException("online deploy outputs without the previous state (bug)"));
        String current = deployed.require("taskDefinition");
        if (!Rollout.sameTaskDefinition(before.taskDefinition(), current)) {
            poller.until(ctx, () -> oldTasks(before.taskDefinition()), List::isEmpty, last -> TargetException.permanent(
                    service.where() + " still runs " + (last == null ? "tasks" : String.join(", ", last)) + " of the previous "
                    + "revision after the rollout completed; raise timeouts.stop or look at the tasks' stop behaviour"));
        }
        ctx.log("online: " + service.where() + " was not scaled down; the rolling update replaced "
                + Rollout.shortName(before.taskDefinition()) + " x" + before.desiredCount() + " and no task of it runs");
        String previous = releases.of(before.taskDefinition(), before.desiredCount());
        Map<String, String> out = new LinkedHashMap<>(before.toOutputs(deployed.get("source").orElse("service")).values());
        out.put("previous", previous);
        return new Outputs(out);
    }

    private List<String> oldTasks(String taskDefinition) {
        return tasks.notStopped().stream().filter(t -> Rollout.sameTaskDefinition(t.taskDefinitionArn(), taskDefinition))
                .map(t -> "task " + ServiceTasks.id(t.taskArn()) + " (" + t.lastStatus() + ")").toList();
    }

    /**
     * A record left by this run's own earlier attempt, or by a run that did not finish (another process, a journal that
     * is gone): either way its values are the state before this run, and this run takes them over.
     */
    private String describeLeft(StepContext ctx, StoppedService left) {
        String who = left.leftBy(ctx.runKey()) ? "an earlier attempt of this run" : "run " + left.runKey() + " (commit "
                + left.commit() + "), which did not finish";
        ctx.log(service.where() + " carries the stop-old record of " + who + "; its previous state " + left.taskDefinition()
                + " x" + left.desiredCount() + " is what this run restores on failure and scales back to on success");
        return "tags of run " + left.runKey();
    }

    /** What still runs: the service's counts first (cheap), then its tasks that have not stopped. */
    private List<String> running() {
        Service s = service.describe();
        if (s.runningCount() + s.pendingCount() > 0) {
            return List.of(s.runningCount() + " running and " + s.pendingCount() + " pending task(s)");
        }
        return tasks.notStopped().stream().map(t -> "task " + ServiceTasks.id(t.taskArn()) + " (" + t.lastStatus() + ")")
                .toList();
    }
}
