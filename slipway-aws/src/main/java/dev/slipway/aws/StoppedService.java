package dev.slipway.aws;

import dev.slipway.core.target.Outputs;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.ecs.model.Tag;

/**
 * What ran on the service before a run scaled it to 0: journaled as the stop-old step's outputs and, so that a run
 * that died can be recovered from AWS alone, kept as tags on the service until the run ends.
 *
 * @param taskDefinition the task definition ARN the service ran
 * @param desiredCount   how many tasks it ran
 * @param runKey         the key of the run that stopped it (a run number, from tags written before keys existed)
 * @param commit         the commit that run was deploying
 */
record StoppedService(String taskDefinition, int desiredCount, String runKey, String commit) {
    static final String TAG_TASK_DEFINITION = "slipway:previous-task-definition";
    static final String TAG_DESIRED_COUNT = "slipway:previous-desired-count";
    static final String TAG_RUN = "slipway:stopped-by-run";
    static final String TAG_COMMIT = "slipway:stopped-for-commit";
    static final Set<String> TAG_KEYS = Set.of(TAG_TASK_DEFINITION, TAG_DESIRED_COUNT, TAG_RUN, TAG_COMMIT);

    Outputs toOutputs(String source) {
        return Outputs.of("previousTaskDefinition", taskDefinition, "previousDesiredCount", String.valueOf(desiredCount),
                "stoppedByRun", runKey, "source", source);
    }

    static Optional<StoppedService> fromOutputs(Outputs out) {
        return out.get("previousTaskDefinition").map(td -> new StoppedService(td,
                Integer.parseInt(out.require("previousDesiredCount")), out.get("stoppedByRun").orElse("?"), ""));
    }

    Map<String, String> toTags() {
        return Map.of(TAG_TASK_DEFINITION, taskDefinition, TAG_DESIRED_COUNT, String.valueOf(desiredCount),
                TAG_RUN, runKey, TAG_COMMIT, commit.isEmpty() ? "-" : commit);
    }

    /** The record a run left on the service, if one did (and it is readable). */
    static Optional<StoppedService> fromTags(List<Tag> tags) {
        Map<String, String> byKey = new java.util.HashMap<>();
        tags.forEach(t -> byKey.put(t.key(), t.value()));
        String td = byKey.get(TAG_TASK_DEFINITION);
        String count = byKey.get(TAG_DESIRED_COUNT);
        if (td == null || count == null || !count.matches("\\d{1,6}")) {
            return Optional.empty();
        }
        return Optional.of(new StoppedService(td, Integer.parseInt(count), byKey.getOrDefault(TAG_RUN, "?"),
                byKey.getOrDefault(TAG_COMMIT, "-")));
    }

    /** Whether the run with {@code key} left this record (an earlier attempt of that run). */
    boolean leftBy(String key) {
        return runKey.equals(key);
    }
}
