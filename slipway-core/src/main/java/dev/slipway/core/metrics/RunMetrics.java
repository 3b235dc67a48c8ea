package dev.slipway.core.metrics;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A stage's deploy metrics in the Prometheus text format, derived from the whole journal each time, so a counter or a
 * histogram never goes down even though every CLI process pushes afresh. Every series carries {@code app} and
 * {@code stage}; the names are a contract with the dashboards and alert rules (docs/config.md, "Metrics").
 */
public final class RunMetrics {
    /** Seconds, 0.1 s to 30 min: a health check to a slow ECS roll-out. */
    static final double[] BUCKETS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800};
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Map<String, Object> metrics = new HashMap<>();

    private RunMetrics() {
    }

    /** The exposition text for {@code stages}, read from {@code journal}; DORA figures over the default window. */
    public static String render(Journal journal, String app, List<String> stages, Instant now) {
        RunMetrics m = new RunMetrics();
        for (String stage : stages) {
            List<RunRecord> records = journal.runs(stage, Integer.MAX_VALUE);
            Map<Long, List<JournalEvent>> events = journal.eventsOfStage(stage); // one read, not one per run; read second,
            List<RunView> runs = records.stream().filter(r -> r.app().equals(app)) // so every run listed has its events
                    .map(r -> RunView.of(r, events.getOrDefault(r.id(), List.of()))).toList();
            m.add(app, stage, journal.countByState(app, stage), runs, now, Dora.DEFAULT_WINDOW);
        }
        return m.write();
    }

    /** The exposition text for one stage. */
    public static String render(Journal journal, String app, String stage, Instant now) {
        return render(journal, app, List.of(stage), now);
    }

    /** The exposition text from {@code ended} (terminal runs by state) and {@code runs} (every run of the stage). */
    public static String render(String app, String stage, Map<RunState, Long> ended, List<RunView> runs, Instant now,
                                Duration window) {
        RunMetrics m = new RunMetrics();
        m.add(app, stage, ended, runs, now, window);
        return m.write();
    }

    private void add(String app, String stage, Map<RunState, Long> ended, List<RunView> runs, Instant now, Duration window) {
        Counter total = metric("slipway_runs_total", () -> Counter.builder().name("slipway_runs_total")
                .help("Runs that ended, by result.").labelNames("app", "stage", "result").register(registry));
        ended.forEach((state, n) -> total.labelValues(app, stage, result(state)).inc(n));
        List<RunView> ordered = runs.stream().sorted(Comparator.comparingLong(v -> v.run().id())).toList();
        Optional<Duration> lastDowntime = Optional.empty();
        for (RunView v : ordered) {
            v.steps().values().forEach(s -> s.duration().ifPresent(d -> histogram("slipway_step_duration_seconds",
                    "Duration of every journaled step.", "step").labelValues(app, stage, s.name()).observe(seconds(d))));
            if (v.state().isTerminal()) {
                v.duration().ifPresent(d -> histogram("slipway_run_duration_seconds", "Duration of every ended run.", "result")
                        .labelValues(app, stage, result(v.state())).observe(seconds(d)));
                Optional<Duration> down = downtime(v);
                down.ifPresent(d -> histogram("slipway_downtime_seconds",
                        "From stop-old starting to verify (or compensation) ending, per run; 0 for an online run.")
                        .labelValues(app, stage).observe(seconds(d)));
                lastDowntime = down.isPresent() ? down : lastDowntime;
            }
        }
        lastDowntime.ifPresent(d -> gauge("slipway_last_downtime_seconds", "Downtime of the latest run that stopped the old release.")
                .labelValues(app, stage).set(seconds(d)));
        progress(app, stage, ordered);
        live(app, stage, ordered);
        dora(app, stage, Dora.of(ordered, now, window));
    }

    private void progress(String app, String stage, List<RunView> ordered) {
        ordered.stream().filter(v -> v.state().isTerminal() && v.endedAt() != null).max(Comparator.comparing(RunView::endedAt))
                .ifPresent(v -> gauge("slipway_last_run_timestamp_seconds", "When the latest run ended, with its result.", "result")
                        .labelValues(app, stage, result(v.state())).set(epochSeconds(v.endedAt())));
        Optional<RunView> current = ordered.stream().filter(v -> !v.state().isTerminal() && v.startedAt() != null).findFirst();
        gauge("slipway_run_in_progress", "1 while a run of the stage has started and not ended.")
                .labelValues(app, stage).set(current.isPresent() ? 1 : 0);
        gauge("slipway_run_started_timestamp_seconds", "When the run in progress started; 0 when none is.")
                .labelValues(app, stage).set(current.map(v -> epochSeconds(v.startedAt())).orElse(0.0));
    }

    /** The release serving the stage: the latest successful deploy or rollback, by its full commit SHA. */
    private void live(String app, String stage, List<RunView> ordered) {
        Optional<RunView> live = ordered.stream().filter(v -> v.state() == RunState.SUCCEEDED && v.run().kind().makesRelease()
                && v.endedAt() != null).max(Comparator.comparing(RunView::endedAt));
        live.ifPresent(v -> {
            gauge("slipway_live_info", "1 for the commit (full SHA) serving the stage.", "version")
                    .labelValues(app, stage, v.run().commit()).set(1);
            gauge("slipway_last_success_timestamp_seconds", "When the release now serving the stage went live.")
                    .labelValues(app, stage).set(epochSeconds(v.endedAt()));
        });
    }

    private void dora(String app, String stage, Dora d) {
        String w = Dora.label(d.window());
        gauge("slipway_dora_deployments_per_day", "DORA deployment frequency: deployments per day in the window.", "window")
                .labelValues(app, stage, w).set(d.deploymentsPerDay());
        d.leadTime().ifPresent(t -> gauge("slipway_dora_lead_time_seconds",
                "DORA lead time for changes: median commit time to live, in the window.", "window")
                .labelValues(app, stage, w).set(seconds(t)));
        d.changeFailureRatio().ifPresent(r -> gauge("slipway_dora_change_failure_ratio",
                "DORA change failure rate: failed changes / changes, in the window.", "window").labelValues(app, stage, w).set(r));
        d.timeToRestore().ifPresent(t -> gauge("slipway_dora_time_to_restore_seconds",
                "DORA time to restore: median failure to next successful deploy, in the window.", "window")
                .labelValues(app, stage, w).set(seconds(t)));
    }

    /**
     * Time from stop-old starting to verify (or compensation) ending: when the stage could not serve the new code; zero
     * for an online run, which stops the old release after verifying the new one. Empty for a run that never stopped
     * the old release.
     */
    static Optional<Duration> downtime(RunView v) {
        Optional<Instant> stop = v.events().stream().filter(e -> e.type() == EventType.STEP_STARTED && "stop-old".equals(e.step()))
                .map(JournalEvent::at).findFirst();
        Optional<Instant> back = v.events().stream().filter(e -> e.type() == EventType.STEP_SUCCEEDED
                && ("verify".equals(e.step()) || "compensate".equals(e.step()))).map(JournalEvent::at).reduce((a, b) -> b);
        // an online run stops the old release only after the new one is verified: nothing was down in between
        return stop.flatMap(s -> back.map(b -> b.isBefore(s) ? Duration.ZERO : Duration.between(s, b)));
    }

    @SuppressWarnings("unchecked")
    private <T> T metric(String name, java.util.function.Supplier<T> make) {
        return (T) metrics.computeIfAbsent(name, n -> make.get());
    }

    private Histogram histogram(String name, String help, String... extra) {
        return metric(name, () -> Histogram.builder().name(name).help(help).labelNames(labels(extra)).classicOnly()
                .classicUpperBounds(BUCKETS).withoutExemplars().register(registry));
    }

    private Gauge gauge(String name, String help, String... extra) {
        return metric(name, () -> Gauge.builder().name(name).help(help).labelNames(labels(extra)).register(registry));
    }

    private static String[] labels(String... extra) {
        String[] out = new String[2 + extra.length];
        out[0] = "app";
        out[1] = "stage";
        System.arraycopy(extra, 0, out, 2, extra.length);
        return out;
    }

    private String write() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException("writing metrics to memory failed (bug)", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static String result(RunState state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static double epochSeconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }
}
