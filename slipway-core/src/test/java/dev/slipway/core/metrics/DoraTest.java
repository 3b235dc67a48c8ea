package dev.slipway.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The DORA figures on a hand-built production history; every expected number is worked out in the comments. */
class DoraTest {
    static final Instant NOW = Instant.parse("2026-03-31T00:00:00Z"); // window (2026-03-01T00:00Z, NOW]

    /**
     * <pre>
     * run kind     commit committed-at   verify end      end             state            counts as
     *  1  DEPLOY   c0     -              -               02-20 10:00     SUCCEEDED        outside the window (live = c0)
     *  2  DEPLOY   c1     03-02 08:00    03-02 10:00     03-02 10:05     SUCCEEDED        deployment, lead 2h
     *  3  DEPLOY   c1     -              -               03-03 09:00     SUCCEEDED        redeploy of live c1: nothing
     *  4  DEPLOY   c2     -              -               03-05 12:00     ROLLED_BACK      failed change
     *  5  DEPLOY   c3     -              -               03-05 13:00     FAILED           nothing (changed nothing)
     *  6  DEPLOY   c4     03-05 14:00    03-05 14:30     03-05 14:31     SUCCEEDED        deployment, lead 30m; undone by 7: failure
     *  7  ROLLBACK c1     -              -               03-05 16:31     SUCCEEDED        restores 6 (not a deployment)
     *  8  DEPLOY   c5     03-10 00:00    03-10 06:00     03-10 06:01     SUCCEEDED        deployment, lead 6h
     *  9  DEPLOY   c6     (not journaled)                03-20 12:00     SUCCEEDED        deployment, no lead time
     * 10  DEPLOY   c7     -              -               03-30 12:00     NEEDS_ATTENTION  failed change, not restored yet
     * 11  DEPLOY   c8     -              -               03-30 12:30     SUPERSEDED       nothing
     * 12  DEPLOY   c9     -              -               (running)                         nothing
     * </pre>
     * Deployments 2, 6, 8, 9 = 4; per day 4 / 30 = 0.1333…. Lead times 30m, 2h, 6h: median 2h = 7200 s.
     * Failed changes 4, 6, 10 = 3 over changes 2, 4, 6, 8, 9, 10 = 6: ratio 0.5.
     * Restores: 4 (12:00) → 6 ends 14:31 = 2h31m = 9060 s; 6 (14:31) → 7 ends 16:31 = 2h = 7200 s; 10 none.
     * Median of 7200 and 9060 = 8130 s.
     */
    static List<RunView> history() {
        List<RunView> runs = new ArrayList<>();
        runs.add(run(1, RunKind.DEPLOY, "c0", null, null, "2026-02-20T10:00:00Z", EventType.RUN_SUCCEEDED));
        runs.add(run(2, RunKind.DEPLOY, "c1", "2026-03-02T08:00:00Z", "2026-03-02T10:00:00Z", "2026-03-02T10:05:00Z", EventType.RUN_SUCCEEDED));
        runs.add(run(3, RunKind.DEPLOY, "c1", null, null, "2026-03-03T09:00:00Z", EventType.RUN_SUCCEEDED));
        runs.add(run(4, RunKind.DEPLOY, "c2", null, null, "2026-03-05T12:00:00Z", EventType.ROLLED_BACK));
        runs.add(run(5, RunKind.DEPLOY, "c3", null, null, "2026-03-05T13:00:00Z", EventType.RUN_FAILED));
        runs.add(run(6, RunKind.DEPLOY, "c4", "2026-03-05T14:00:00Z", "2026-03-05T14:30:00Z", "2026-03-05T14:31:00Z", EventType.RUN_SUCCEEDED));
        runs.add(run(7, RunKind.ROLLBACK, "c1", null, null, "2026-03-05T16:31:00Z", EventType.RUN_SUCCEEDED));
        runs.add(run(8, RunKind.DEPLOY, "c5", "2026-03-10T00:00:00Z", "2026-03-10T06:00:00Z", "2026-03-10T06:01:00Z", EventType.RUN_SUCCEEDED));
        runs.add(run(9, RunKind.DEPLOY, "c6", null, null, "2026-03-20T12:00:00Z", EventType.RUN_SUCCEEDED));
        runs.add(run(10, RunKind.DEPLOY, "c7", null, null, "2026-03-30T12:00:00Z", EventType.COMPENSATION_FAILED));
        runs.add(run(11, RunKind.DEPLOY, "c8", null, null, "2026-03-30T12:30:00Z", EventType.RUN_SUPERSEDED));
        runs.add(run(12, RunKind.DEPLOY, "c9", null, null, null, null));
        java.util.Collections.reverse(runs); // any order: the journal lists newest first
        return runs;
    }

    @Test
    void of_handBuiltHistory_givesTheHandComputedFigures() {
        Dora d = Dora.of(history(), NOW, Duration.ofDays(30));

        assertThat(d.deployments()).isEqualTo(4);
        assertThat(d.deploymentsPerDay()).isCloseTo(4 / 30.0, within(1e-12));
        assertThat(d.leadTime()).contains(Duration.ofHours(2));
        assertThat(d.failedChanges()).isEqualTo(3);
        assertThat(d.changeFailureRatio()).hasValue(0.5);
        assertThat(d.timeToRestore()).contains(Duration.ofSeconds(8130));
    }

    /** A 7-day window (03-24, 03-31]: only run 10 (a failed change, unrestored) and 11 (superseded) end in it. */
    @Test
    void of_shortWindow_countsOnlyRunsEndingInIt() {
        Dora d = Dora.of(history(), NOW, Duration.ofDays(7));

        assertThat(d.deployments()).isZero();
        assertThat(d.deploymentsPerDay()).isZero();
        assertThat(d.leadTime()).isEmpty();
        assertThat(d.changeFailureRatio()).hasValue(1.0); // 1 failed change of 1 change
        assertThat(d.timeToRestore()).isEmpty();
    }

    @Test
    void of_noRuns_hasNothingToMeasure() {
        Dora d = Dora.of(List.of(), NOW, Duration.ofDays(30));

        assertThat(d.deployments()).isZero();
        assertThat(d.changeFailureRatio()).isEmpty();
        assertThat(d.leadTime()).isEmpty();
        assertThat(d.timeToRestore()).isEmpty();
    }

    @Test
    void label_window_isWrittenInItsLargestWholeUnit() {
        assertThat(Dora.label(Duration.ofDays(30))).isEqualTo("30d");
        assertThat(Dora.label(Duration.ofHours(36))).isEqualTo("36h");
        assertThat(Dora.label(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Dora.label(Duration.ofSeconds(45))).isEqualTo("45s");
    }

    /**
     * A run started an hour before {@code end} (null: still running), queued with {@code committedAt}, with a verify
     * step ending at {@code verifyEnd} when given, and ended by {@code last}.
     */
    static RunView run(long id, RunKind kind, String commit, String committedAt, String verifyEnd, String end, EventType last) {
        Instant ended = end == null ? NOW.minusSeconds(600) : Instant.parse(end);
        Instant start = ended.minus(Duration.ofHours(1));
        RunRecord r = new RunRecord(id, "app", "production", commit, kind, "alice", start.minusSeconds(5));
        List<JournalEvent> events = new ArrayList<>();
        Map<String, String> queued = committedAt == null ? Map.of("commit", commit) : Map.of("commit", commit, Dora.COMMITTED_AT, committedAt);
        events.add(new JournalEvent(id, 1, start.minusSeconds(5), EventType.RUN_QUEUED, null, queued));
        if (last == EventType.RUN_SUPERSEDED) {
            events.add(new JournalEvent(id, 2, ended, last, null, Map.of("by", "12")));
            return RunView.of(r, events);
        }
        events.add(new JournalEvent(id, 2, start, EventType.RUN_STARTED, null, Map.of()));
        if (verifyEnd != null) {
            events.add(new JournalEvent(id, 3, Instant.parse(verifyEnd).minusSeconds(60), EventType.STEP_STARTED, "verify", Map.of()));
            events.add(new JournalEvent(id, 4, Instant.parse(verifyEnd), EventType.STEP_SUCCEEDED, "verify", Map.of()));
        }
        if (last == EventType.ROLLED_BACK || last == EventType.COMPENSATION_FAILED) {
            events.add(new JournalEvent(id, 5, ended.minusSeconds(60), EventType.COMPENSATION_STARTED, null, Map.of("reason", "verify failed")));
        }
        if (last != null) {
            events.add(new JournalEvent(id, 6, ended, last, null, Map.of("reason", "x")));
        }
        return RunView.of(r, events);
    }
}
