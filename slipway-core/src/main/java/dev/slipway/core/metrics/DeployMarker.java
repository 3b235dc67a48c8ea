package dev.slipway.core.metrics;

import dev.slipway.core.journal.RunView;
import java.time.Instant;
import java.util.List;

/**
 * One run as a Grafana region annotation: from the run's start to its end, tagged so a dashboard can pick a stage's
 * deploys ({@code stage:production}) or only failed ones ({@code result:rolled_back}).
 */
public record DeployMarker(Instant start, Instant end, List<String> tags, String text) {
    public DeployMarker {
        tags = List.copyOf(tags);
    }

    /** The marker of an ended run of {@code app}. */
    public static DeployMarker of(String app, RunView v) {
        Instant end = v.endedAt() == null ? v.run().requestedAt() : v.endedAt();
        Instant start = v.startedAt() == null ? v.run().requestedAt() : v.startedAt();
        String result = RunMetrics.result(v.state());
        String commit = v.run().commit();
        String text = app + " " + v.run().kind().name().toLowerCase(java.util.Locale.ROOT) + " of " + commit + " to "
                + v.run().stage() + ": " + result + " (slipway run " + v.run().id() + ")"
                + (v.reason() == null ? "" : "\n" + v.reason());
        return new DeployMarker(start, end, List.of("slipway", "app:" + app, "stage:" + v.run().stage(), "result:" + result,
                "commit:" + commit.substring(0, Math.min(12, commit.length()))), text);
    }
}
