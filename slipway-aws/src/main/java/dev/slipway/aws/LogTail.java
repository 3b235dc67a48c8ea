package dev.slipway.aws;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.LogConfiguration;

/** The last lines a task's container wrote through the {@code awslogs} driver. */
final class LogTail {
    private final CloudWatchLogsClient logs;

    LogTail(CloudWatchLogsClient logs) {
        this.logs = logs;
    }

    /** Up to {@code lines} last lines, or one line saying why there are none. */
    List<String> of(ContainerDefinition container, String taskArn, int lines) {
        LogConfiguration config = container.logConfiguration();
        if (config == null || !"awslogs".equals(config.logDriverAsString())) {
            return List.of("(container " + container.name() + " does not log to CloudWatch Logs: add an awslogs "
                    + "logConfiguration to the task definition template to see its output here)");
        }
        Map<String, String> options = config.options();
        String group = options.get("awslogs-group");
        String prefix = options.get("awslogs-stream-prefix");
        if (group == null || prefix == null) {
            return List.of("(awslogs-group and awslogs-stream-prefix are needed to find the log stream of container "
                    + container.name() + ")");
        }
        String stream = prefix + "/" + container.name() + "/" + ServiceTasks.id(taskArn);
        try {
            List<OutputLogEvent> events = AwsCalls.call("GetLogEvents " + group + " " + stream, () -> logs.getLogEvents(b -> b
                    .logGroupName(group).logStreamName(stream).limit(lines).startFromHead(false))).events();
            return events.isEmpty() ? List.of("(log stream " + group + " " + stream + " is empty)")
                    : events.stream().map(OutputLogEvent::message).map(String::stripTrailing).toList();
        } catch (dev.slipway.core.target.TargetException e) {
            if (e.getCause() instanceof AwsServiceException a && AwsCalls.code(a).equals("ResourceNotFoundException")) {
                return List.of("(no log stream " + stream + " in " + group + ")");
            }
            return List.of("(could not read the log: " + e.getMessage() + ")");
        }
    }
}
