package dev.slipway.aws;

import dev.slipway.core.target.TargetException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Service;
import software.amazon.awssdk.services.ecs.model.ServiceField;
import software.amazon.awssdk.services.ecs.model.Tag;

/** The stage's ECS service: the calls every step makes on it, with messages that name it. */
final class EcsService {
    private final EcsClient ecs;
    private final String cluster;
    private final String service;

    EcsService(EcsClient ecs, String cluster, String service) {
        this.ecs = ecs;
        this.cluster = cluster;
        this.service = service;
    }

    /** "service web in cluster apps", for messages. */
    String where() {
        return "service " + service + " in cluster " + cluster;
    }

    String cluster() {
        return cluster;
    }

    String name() {
        return service;
    }

    /** The service with its tags; a permanent failure naming the service when it does not exist. */
    Service describe() {
        DescribeServicesResponse r = AwsCalls.call("DescribeServices of " + where(), () -> ecs.describeServices(b -> b
                .cluster(cluster).services(service).include(ServiceField.TAGS)));
        return r.services().stream().filter(s -> !"INACTIVE".equals(s.status())).findFirst()
                .orElseThrow(() -> TargetException.permanent(where() + " does not exist (or is INACTIVE): create it once "
                        + "with your infrastructure tooling (docs/aws.md shows the settings Slipway expects) or fix "
                        + "ecs.cluster / ecs.service in slipway.yml"));
    }

    void update(String taskDefinition, int desiredCount) {
        AwsCalls.call("UpdateService of " + where() + " to " + taskDefinition + " x" + desiredCount,
                () -> ecs.updateService(b -> b.cluster(cluster).service(service).taskDefinition(taskDefinition)
                        .desiredCount(desiredCount)));
    }

    void scale(int desiredCount) {
        AwsCalls.call("UpdateService of " + where() + " to desiredCount " + desiredCount,
                () -> ecs.updateService(b -> b.cluster(cluster).service(service).desiredCount(desiredCount)));
    }

    void tag(String serviceArn, Map<String, String> tags) {
        List<Tag> list = tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
        AwsCalls.call("TagResource of " + where(), () -> ecs.tagResource(b -> b.resourceArn(serviceArn).tags(list)));
    }

    void untag(String serviceArn, Collection<String> keys) {
        AwsCalls.call("UntagResource of " + where(), () -> ecs.untagResource(b -> b.resourceArn(serviceArn).tagKeys(keys)));
    }
}
