package dev.slipway.aws;

import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ecs.model.Deployment;
import software.amazon.awssdk.services.ecs.model.DeploymentRolloutState;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceEvent;

/**
 * Waits for the service to run {@code taskDefinition} x{@code count}: the deployment of that revision must reach
 * rollout state COMPLETED with all its tasks running. A FAILED rollout (the deployment circuit breaker), the service
 * going back to another revision (its rollback) or the deadline is a failure, explained with the service's recent
 * events and the stopped tasks' reasons and exit codes.
 */
final class Rollout {
    private static final int EVENTS = 5;
    private static final int TASKS = 5;
    private final EcsService service;
    private final ServiceTasks tasks;
    private final Poller poller;

    Rollout(EcsService service, ServiceTasks tasks, Poller poller) {
        this.service = service;
        this.tasks = tasks;
        this.poller = poller;
    }

    Service await(StepContext ctx, String taskDefinition, int count, String what) {
        Service done = poller.until(ctx, service::describe, s -> judge(s, taskDefinition, what),
                last -> TargetException.permanent(what + " did not complete before the step's timeout (" + state(last, taskDefinition)
                        + "); raise timeouts.deploy if tasks only start slowly." + explain(last, taskDefinition)));
        ctx.log(what + " completed: " + done.runningCount() + "/" + count + " task(s) running");
        return done;
    }

    /** True when complete; false while in progress; a permanent failure when it can no longer complete. */
    boolean judge(Service s, String taskDefinition, String what) {
        Optional<Deployment> mine = s.deployments().stream()
                .filter(d -> sameTaskDefinition(d.taskDefinition(), taskDefinition)).findFirst();
        if (mine.isPresent()) {
            Deployment d = mine.get();
            if (d.rolloutState() == DeploymentRolloutState.FAILED) {
                throw TargetException.permanent(what + " failed: rollout FAILED (" + d.rolloutStateReason()
                        + "), the deployment circuit breaker stopped it." + explain(s, taskDefinition));
            }
            if (!"PRIMARY".equals(d.status())) {
                throw TargetException.permanent(what + " was superseded: the service's primary deployment runs "
                        + primary(s) + " (a circuit-breaker rollback or another deploy)." + explain(s, taskDefinition));
            }
            boolean rolledOut = d.rolloutState() == null ? s.deployments().size() == 1
                    : d.rolloutState() == DeploymentRolloutState.COMPLETED;
            return rolledOut && d.runningCount() >= d.desiredCount() && s.runningCount() >= s.desiredCount();
        }
        if (!sameTaskDefinition(s.taskDefinition(), taskDefinition)) {
            throw TargetException.permanent(what + " was rolled back: the service runs " + s.taskDefinition()
                    + " again." + explain(s, taskDefinition));
        }
        // no deployment of the revision listed (emulators that do not track deployments): the services-stable rule
        return s.deployments().size() <= 1 && s.runningCount() >= s.desiredCount() && s.pendingCount() == 0;
    }

    static boolean sameTaskDefinition(String a, String b) {
        return a != null && b != null && shortName(a).equals(shortName(b));
    }

    /** {@code family:revision} of a task definition ARN (or the text as it is). */
    static String shortName(String taskDefinition) {
        int slash = taskDefinition.lastIndexOf("task-definition/");
        return slash < 0 ? taskDefinition : taskDefinition.substring(slash + "task-definition/".length());
    }

    private static String primary(Service s) {
        return s.deployments().stream().filter(d -> "PRIMARY".equals(d.status())).map(Deployment::taskDefinition)
                .findFirst().orElse(s.taskDefinition());
    }

    private static String state(Service s, String taskDefinition) {
        if (s == null) {
            return "the service could not be read";
        }
        return s.deployments().stream().filter(d -> sameTaskDefinition(d.taskDefinition(), taskDefinition)).findFirst()
                .map(d -> "rollout " + d.rolloutState() + ", " + d.runningCount() + "/" + d.desiredCount() + " running, "
                        + d.failedTasks() + " failed")
                .orElse("service on " + s.taskDefinition() + ", " + s.runningCount() + "/" + s.desiredCount() + " running");
    }

    /** The service's recent events and the stopped tasks of the revision, as text to append to a failure. */
    String explain(Service s, String taskDefinition) {
        List<String> lines = new ArrayList<>();
        if (s != null) {
            s.events().stream().limit(EVENTS).map(Rollout::event).forEach(lines::add);
        }
        try {
            tasks.stopped(taskDefinition).stream().limit(TASKS).map(ServiceTasks::describeStopped).forEach(lines::add);
        } catch (TargetException e) {
            lines.add("(could not read the stopped tasks: " + e.getMessage() + ")");
        }
        return lines.isEmpty() ? "" : "\n  " + String.join("\n  ", lines);
    }

    private static String event(ServiceEvent e) {
        return "event " + (e.createdAt() == null ? "" : e.createdAt() + " ") + e.message();
    }
}
