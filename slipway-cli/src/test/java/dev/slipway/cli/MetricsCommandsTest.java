package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slipway metrics} and {@code slipway stats} over a journal with two runs of staging. */
class MetricsCommandsTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    Path spec;

    /**
     * Run 1 deploys c1 two days ago, committed 3 h before its verify ended; run 2 deploys c2 a day ago and is rolled
     * back, and nothing has succeeded since. Over 7 days: 1 deployment (1/7 per day), lead time 3 h, 1 failed change
     * of 2 changes, no time to restore yet.
     */
    @BeforeEach
    void journal() throws IOException {
        spec = Files.writeString(dir.resolve("slipway.yml"), """
                app: demo
                build: {context: .}
                stages:
                  staging: {branch: main, target: local}
                  qa: {branch: qa, target: local}
                """);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        try (Journal j = Journals.open(Journals.defaultUrl(dir), null, null)) {
            Instant t1 = now.minus(Duration.ofDays(2));
            RunRecord r1 = j.enqueue(new RunRequest("demo", "staging", "c1", RunKind.DEPLOY, "alice", null, null)
                    .withCommittedAt(t1.minus(Duration.ofHours(3))), t1.minusSeconds(60));
            j.append(r1.id(), EventType.RUN_STARTED, null, Map.of(), t1.minusSeconds(60));
            j.append(r1.id(), EventType.STEP_STARTED, "verify", Map.of(), t1.minusSeconds(10));
            j.append(r1.id(), EventType.STEP_SUCCEEDED, "verify", Map.of(), t1);
            j.append(r1.id(), EventType.RUN_SUCCEEDED, null, Map.of(), t1.plusSeconds(1));
            Instant t2 = now.minus(Duration.ofDays(1));
            RunRecord r2 = j.enqueue(new RunRequest("demo", "staging", "c2", RunKind.DEPLOY, "bob"), t2.minusSeconds(60));
            j.append(r2.id(), EventType.RUN_STARTED, null, Map.of(), t2.minusSeconds(60));
            j.append(r2.id(), EventType.COMPENSATION_STARTED, null, Map.of("reason", "verify failed"), t2.minusSeconds(5));
            j.append(r2.id(), EventType.ROLLED_BACK, null, Map.of(), t2);
        }
    }

    int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void metrics_stage_printsThatStagesExpositionText() {
        assertThat(run("metrics", "--stage", "staging", "-f", spec.toString())).as(err.toString()).isZero();

        assertThat(out.toString())
                .contains("slipway_runs_total{app=\"demo\",result=\"succeeded\",stage=\"staging\"} 1.0\n")
                .contains("slipway_runs_total{app=\"demo\",result=\"rolled_back\",stage=\"staging\"} 1.0\n")
                .contains("slipway_live_info{app=\"demo\",stage=\"staging\",version=\"c1\"} 1.0\n")
                .contains("slipway_dora_lead_time_seconds{app=\"demo\",stage=\"staging\",window=\"30d\"} 10800.0\n")
                .doesNotContain("stage=\"qa\"");
    }

    @Test
    void metrics_everyStage_writesEachMetricFamilyOnce() {
        assertThat(run("metrics", "-f", spec.toString())).as(err.toString()).isZero();

        assertThat(out.toString()).contains("slipway_run_in_progress{app=\"demo\",stage=\"qa\"} 0.0\n")
                .contains("slipway_run_in_progress{app=\"demo\",stage=\"staging\"} 0.0\n");
        assertThat(out.toString().lines().filter(l -> l.equals("# TYPE slipway_runs_total counter"))).hasSize(1);
    }

    @Test
    void stats_jsonOverAWeek_givesTheFigures() throws IOException {
        assertThat(run("stats", "--stage", "staging", "--since", "7d", "--output", "json", "-f", spec.toString()))
                .as(err.toString()).isZero();

        JsonNode s = new ObjectMapper().readTree(out.toString()).get(0);
        assertThat(s.get("stage").asText()).isEqualTo("staging");
        assertThat(s.get("window").asText()).isEqualTo("7d");
        assertThat(s.get("deployments").asInt()).isEqualTo(1);
        assertThat(s.get("deploymentsPerDay").asDouble()).isEqualTo(1 / 7.0);
        assertThat(s.get("leadTimeSeconds").asDouble()).isEqualTo(10800.0);
        assertThat(s.get("changeFailureRatio").asDouble()).isEqualTo(0.5);
        assertThat(s.get("timeToRestoreSeconds").isNull()).isTrue();
    }

    @Test
    void stats_table_showsOneLinePerStage() {
        assertThat(run("stats", "-f", spec.toString())).as(err.toString()).isZero();

        assertThat(out.toString()).contains("STAGE").contains("LEAD TIME")
                .containsPattern("staging +30d +0\\.03 \\(1\\) +3h.* +50% \\(1\\) +-")
                .containsPattern("qa +30d +0\\.00 \\(0\\) +- +- +-");
    }

    @Test
    void stats_badWindow_isAUsageError() {
        assertThat(run("stats", "--since", "0d", "-f", spec.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("'0d' is not a window like 30d, 12h or 90m");
    }
}
