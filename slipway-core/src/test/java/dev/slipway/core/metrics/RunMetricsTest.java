package dev.slipway.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exposition text carries the contract's names and labels (docs/config.md, "Metrics"). */
class RunMetricsTest {
    static final Instant NOW = DoraTest.NOW;

    @Test
    void render_handBuiltHistory_writesEveryContractSeries() {
        Map<RunState, Long> ended = new EnumMap<>(RunState.class);
        ended.put(RunState.SUCCEEDED, 6L);
        ended.put(RunState.ROLLED_BACK, 1L);
        ended.put(RunState.FAILED, 1L);

        String text = RunMetrics.render("app", "production", ended, DoraTest.history(), NOW, Duration.ofDays(30));

        String l = "app=\"app\",stage=\"production\"";
        assertThat(text)
                .contains("# TYPE slipway_runs_total counter\n")
                .contains("slipway_runs_total{app=\"app\",result=\"succeeded\",stage=\"production\"} 6.0\n")
                .contains("slipway_runs_total{app=\"app\",result=\"rolled_back\",stage=\"production\"} 1.0\n")
                .contains("# TYPE slipway_step_duration_seconds histogram\n")
                // verify ran 60 s in runs 2, 6 and 8
                .contains("slipway_step_duration_seconds_bucket{" + l + ",step=\"verify\",le=\"30.0\"} 0\n")
                .contains("slipway_step_duration_seconds_bucket{" + l + ",step=\"verify\",le=\"60.0\"} 3\n")
                .contains("slipway_step_duration_seconds_bucket{" + l + ",step=\"verify\",le=\"1800.0\"} 3\n")
                // every run DoraTest builds lasts an hour (above the last bucket); runs 1, 2, 3, 6, 7, 8, 9 succeeded
                .contains("slipway_run_duration_seconds_bucket{app=\"app\",result=\"succeeded\",stage=\"production\",le=\"+Inf\"} 7\n")
                .contains("slipway_run_duration_seconds_sum{app=\"app\",result=\"succeeded\",stage=\"production\"} 25200.0\n")
                .contains("slipway_last_run_timestamp_seconds{app=\"app\",result=\"superseded\",stage=\"production\"} "
                        + (double) Instant.parse("2026-03-30T12:30:00Z").getEpochSecond() + "\n")
                .contains("slipway_run_in_progress{" + l + "} 1.0\n")
                .contains("slipway_run_started_timestamp_seconds{" + l + "} " + (double) NOW.minusSeconds(600 + 3600).getEpochSecond() + "\n")
                .contains("slipway_live_info{" + l + ",version=\"c6\"} 1.0\n") // run 9 deployed c6 last
                .contains("slipway_last_success_timestamp_seconds{" + l + "} " + (double) Instant.parse("2026-03-20T12:00:00Z").getEpochSecond() + "\n")
                .contains("slipway_dora_change_failure_ratio{" + l + ",window=\"30d\"} 0.5\n")
                .contains("slipway_dora_lead_time_seconds{" + l + ",window=\"30d\"} 7200.0\n")
                .contains("slipway_dora_time_to_restore_seconds{" + l + ",window=\"30d\"} 8130.0\n")
                .contains("slipway_dora_deployments_per_day{" + l + ",window=\"30d\"} 0.13333333333333333\n");
    }

    @Test
    void render_stopFirstAndOnlineRuns_observeTheirDowntimeAndKeepTheLatest() {
        List<RunView> runs = List.of(
                stopped(1, "2026-03-10T10:00:00Z", "2026-03-10T10:00:20Z", "2026-03-10T10:00:30Z"), // stop-first: 30 s down
                stopped(2, "2026-03-11T10:00:40Z", "2026-03-11T10:00:00Z", "2026-03-11T10:00:10Z")); // online: stop after verify: 0

        String text = RunMetrics.render("app", "staging", Map.of(), runs, NOW, Duration.ofDays(30));

        String l = "app=\"app\",stage=\"staging\"";
        assertThat(text).contains("slipway_downtime_seconds_bucket{" + l + ",le=\"0.1\"} 1\n")
                .contains("slipway_downtime_seconds_bucket{" + l + ",le=\"30.0\"} 2\n")
                .contains("slipway_downtime_seconds_count{" + l + "} 2\n")
                .contains("slipway_downtime_seconds_sum{" + l + "} 30.0\n")
                .contains("slipway_last_downtime_seconds{" + l + "} 0.0\n")
                .contains("slipway_run_in_progress{" + l + "} 0.0\n")
                .contains("slipway_run_started_timestamp_seconds{" + l + "} 0.0\n");
    }

    /** A succeeded run whose stop-old started at {@code stop} and whose verify ran from {@code verifyStart} to {@code verifyEnd}. */
    private static RunView stopped(long id, String stop, String verifyStart, String verifyEnd) {
        Instant s = Instant.parse(stop);
        Instant vs = Instant.parse(verifyStart);
        Instant ve = Instant.parse(verifyEnd);
        Instant start = (s.isBefore(vs) ? s : vs).minusSeconds(60);
        Instant end = (s.isAfter(ve) ? s : ve).plusSeconds(5);
        RunRecord r = new RunRecord(id, "app", "staging", "c" + id, RunKind.DEPLOY, "alice", start);
        List<JournalEvent> events = new ArrayList<>(List.of(
                new JournalEvent(id, 1, start, EventType.RUN_QUEUED, null, Map.of()),
                new JournalEvent(id, 2, start, EventType.RUN_STARTED, null, Map.of()),
                new JournalEvent(id, 3, s, EventType.STEP_STARTED, "stop-old", Map.of()),
                new JournalEvent(id, 4, s.plusSeconds(1), EventType.STEP_SUCCEEDED, "stop-old", Map.of()),
                new JournalEvent(id, 5, vs, EventType.STEP_STARTED, "verify", Map.of()),
                new JournalEvent(id, 6, ve, EventType.STEP_SUCCEEDED, "verify", Map.of()),
                new JournalEvent(id, 7, end, EventType.RUN_SUCCEEDED, null, Map.of())));
        events.sort(java.util.Comparator.comparing(JournalEvent::at));
        return RunView.of(r, events);
    }
}
