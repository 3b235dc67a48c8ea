package dev.slipway.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.Container;
import software.amazon.awssdk.services.ecs.model.DesiredStatus;
import software.amazon.awssdk.services.ecs.model.Task;

/** Tasks of the stage's service (group {@code service:NAME}), read with ListTasks + DescribeTasks. */
final class ServiceTasks {
    private final EcsClient ecs;
    private final EcsService service;

    ServiceTasks(EcsClient ecs, EcsService service) {
        this.ecs = ecs;
        this.service = service;
    }

    /** The service's tasks that have not reached STOPPED, whatever ECS wants of them. */
    List<Task> notStopped() {
        Set<String> arns = new LinkedHashSet<>(list(DesiredStatus.RUNNING));
        arns.addAll(list(DesiredStatus.STOPPED));
        return describe(arns).stream().filter(t -> !"STOPPED".equals(t.lastStatus())).toList();
    }

    /** Recently stopped tasks of the service that ran {@code taskDefinition}, newest first. */
    List<Task> stopped(String taskDefinition) {
        return describe(list(DesiredStatus.STOPPED)).stream()
                .filter(t -> "STOPPED".equals(t.lastStatus()) && Rollout.sameTaskDefinition(t.taskDefinitionArn(), taskDefinition))
                .sorted(Comparator.comparing(Task::stoppedAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .toList();
    }

    /** One line about a stopped task: why it stopped and how its containers exited. */
    static String describeStopped(Task t) {
        StringBuilder sb = new StringBuilder("task ").append(id(t.taskArn())).append(": ")
                .append(t.stoppedReason() == null || t.stoppedReason().isBlank() ? "no stoppedReason" : t.stoppedReason());
        for (Container c : t.containers()) {
            sb.append("; container ").append(c.name()).append(" exit ").append(c.exitCode() == null ? "none" : c.exitCode());
            if (c.reason() != null && !c.reason().isBlank()) {
                sb.append(" (").append(c.reason()).append(')');
            }
        }
        return sb.toString();
    }

    static String id(String taskArn) {
        return taskArn == null ? "?" : taskArn.substring(taskArn.lastIndexOf('/') + 1);
    }

    private List<String> list(DesiredStatus status) {
        return AwsCalls.call("ListTasks of " + service.where(), () -> ecs.listTasks(b -> b.cluster(service.cluster())
                .serviceName(service.name()).desiredStatus(status))).taskArns();
    }

    private List<Task> describe(Collection<String> arns) {
        List<String> all = new ArrayList<>(arns);
        List<Task> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 100) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + 100));
            out.addAll(AwsCalls.call("DescribeTasks in cluster " + service.cluster(), () -> ecs.describeTasks(b -> b
                    .cluster(service.cluster()).tasks(chunk))).tasks());
        }
        String group = "service:" + service.name();
        return out.stream().filter(t -> group.equals(t.group())).toList();
    }
}
