package dev.slipway.aws;

import dev.slipway.core.target.TargetException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DeploymentConfiguration;
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

    /** Online deploys and their compensation: ECS starts the new tasks before it stops old ones. */
    static final int MIN_HEALTHY = 100;
    static final int MAX_PERCENT = 200;

    /**
     * {@code UpdateService} with minimum healthy {@link #MIN_HEALTHY} % and maximum {@link #MAX_PERCENT} %: the count never
     * drops while the revision changes. The rest of the service's deployment configuration ({@code current}'s: circuit
     * breaker, alarms) is sent as it is; the service keeps these percentages afterwards.
     */
    void rollingUpdate(Service current, String taskDefinition, int desiredCount) {
        DeploymentConfiguration config = (current.deploymentConfiguration() == null ? DeploymentConfiguration.builder()
                : current.deploymentConfiguration().toBuilder()).minimumHealthyPercent(MIN_HEALTHY).maximumPercent(MAX_PERCENT).build();
        AwsCalls.call("UpdateService of " + where() + " to " + taskDefinition + " x" + desiredCount + " (rolling)",
                () -> ecs.updateService(b -> b.cluster(cluster).service(service).taskDefinition(taskDefinition)
                        .desiredCount(desiredCount).deploymentConfiguration(config)));
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
