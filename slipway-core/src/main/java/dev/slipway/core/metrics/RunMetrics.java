package dev.slipway.core.metrics;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A stage's deploy metrics in Prometheus text format, derived from the journal (so a counter stays a counter even
 * when each CLI run pushes afresh). Every series carries {@code app} and {@code stage}.
 */
public final class RunMetrics {
    private RunMetrics() {
    }

    /** The exposition text for {@code stage}, with {@code latest} as the run whose durations are reported. */
    public static String render(Journal journal, String app, String stage, RunView latest) {
        StringBuilder out = new StringBuilder();
        String labels = "app=\"" + esc(app) + "\",stage=\"" + esc(stage) + "\"";
        Map<RunState, Long> byResult = journal.countByState(app, stage); // the whole journal: a counter never goes down
        header(out, "slipway_runs_total", "counter", "Runs that ended, by result.");
        byResult.forEach((state, n) -> out.append("slipway_runs_total{").append(labels).append(",result=\"")
                .append(state.name().toLowerCase(Locale.ROOT)).append("\"} ").append(n).append('\n'));
        latest.duration().ifPresent(d -> gauge(out, "slipway_run_duration_seconds", "Duration of the latest run.", labels, d));
        header(out, "slipway_step_duration_seconds", "gauge", "Duration of each step of the latest run.");
        latest.steps().values().forEach(s -> s.duration().ifPresent(d -> out.append("slipway_step_duration_seconds{")
                .append(labels).append(",step=\"").append(s.name()).append("\"} ").append(seconds(d)).append('\n')));
        downtime(latest).ifPresent(d -> gauge(out, "slipway_downtime_seconds",
                "From stopping the old instances to the new (or restored) ones being healthy, in the latest run.", labels, d));
        journal.releases(stage, null, 1).stream().findFirst().map(r -> RunView.of(r, journal.events(r.id())))
                .map(RunView::endedAt).ifPresent(t -> {
            header(out, "slipway_last_success_timestamp_seconds", "gauge", "When the last successful run ended.");
            out.append("slipway_last_success_timestamp_seconds{").append(labels).append("} ")
                    .append(t.toEpochMilli() / 1000.0).append('\n');
        });
        return out.toString();
    }

    /**
     * Time from stop-old starting to verify (or compensation) ending: when the stage could not serve the new code; zero
     * for an online run, which stops the old release after verifying the new one.
     */
    static Optional<Duration> downtime(RunView v) {
        Optional<Instant> stop = v.events().stream().filter(e -> e.type() == EventType.STEP_STARTED && "stop-old".equals(e.step()))
                .map(JournalEvent::at).findFirst();
        Optional<Instant> back = v.events().stream().filter(e -> e.type() == EventType.STEP_SUCCEEDED
                && ("verify".equals(e.step()) || "compensate".equals(e.step()))).map(JournalEvent::at).reduce((a, b) -> b);
        // an online run stops the old release only after the new one is verified: nothing was down in between
        return stop.flatMap(s -> back.map(b -> b.isBefore(s) ? Duration.ZERO : Duration.between(s, b)));
    }

    private static void gauge(StringBuilder out, String name, String help, String labels, Duration d) {
        header(out, name, "gauge", help);
        out.append(name).append('{').append(labels).append("} ").append(seconds(d)).append('\n');
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static String seconds(Duration d) {
        return String.valueOf(d.toMillis() / 1000.0);
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
