package dev.slipway.aws;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.Task;

/**
 * Records what the service runs (journal outputs and service tags, tags first), scales it to 0 and waits until none
 * of its tasks runs. When the tags already hold a record, a run that died after scaling left it: that record, not
 * the service's present 0, is what came before, and this run takes it over. Outputs {@code previous}: the release that
 * served (see {@link ReleaseNames}), or {@code none}.
 */
final class StopOldStep {
    private final EcsService service;
    private final ServiceTasks tasks;
    private final ReleaseNames releases;
    private final Poller poller;

    StopOldStep(EcsService service, ServiceTasks tasks, ReleaseNames releases, Poller poller) {
        this.service = service;
        this.tasks = tasks;
        this.releases = releases;
        this.poller = poller;
    }

    Outputs run(StepContext ctx) {
        Service s = service.describe();
        Optional<StoppedService> left = StoppedService.fromTags(s.tags());
        StoppedService before = left
                .map(l -> new StoppedService(l.taskDefinition(), l.desiredCount(), ctx.runKey(), ctx.commit()))
                .orElseGet(() -> new StoppedService(s.taskDefinition(), s.desiredCount(), ctx.runKey(), ctx.commit()));
        String source = left.map(l -> describeLeft(ctx, l)).orElse("service");
        service.tag(s.serviceArn(), before.toTags());
        ctx.log("recorded " + service.where() + " as " + before.taskDefinition() + " x" + before.desiredCount()
                + " (journal and service tags)");
        if (s.desiredCount() != 0) {
            service.scale(0);
        }
        poller.until(ctx, this::running, List::isEmpty, last -> TargetException.permanent(service.where()
                + " still runs " + (last == null ? "tasks" : String.join(", ", last)) + " after being scaled to 0; "
                + "raise timeouts.stop or look at the tasks' stop behaviour (stopTimeout, SIGTERM handling)"));
        ctx.log(service.where() + " is at 0 tasks");
        String previous = releases.of(before.taskDefinition(), before.desiredCount());
        ctx.log("previous release: " + (previous.equals(ReleaseNames.NONE) ? "none (the service ran no task)" : previous));
        Map<String, String> out = new LinkedHashMap<>(before.toOutputs(source).values());
        out.put("previous", previous);
        return new Outputs(out);
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
