package dev.slipway.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every journal store must do; run against SQLite and a real PostgreSQL. */
abstract class JournalContract {
    private final List<Journal> open = new ArrayList<>();
    Journal journal;
    String stage;
    final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");

    /** A fresh store URL (with its user and password), or null to skip. */
    abstract String[] store();

    Journal open() {
        String[] s = store();
        Journal j = Journals.open(s[0], s[1], s[2]);
        open.add(j);
        return j;
    }

    @BeforeEach
    void setUp() {
        journal = open();
        stage = "stage-" + System.nanoTime(); // stores may be shared between tests: keep stages apart
    }

    @AfterEach
    void tearDown() {
        open.forEach(Journal::close);
    }

    @Test
    void enqueue_newRequest_getsIncreasingIdAndQueuedEvent() {
        RunRecord a = journal.enqueue("app", stage, "c1", RunKind.DEPLOY, "alice", t0);
        RunRecord b = journal.enqueue("app", stage, "c2", RunKind.DEPLOY, "bob", t0);

        assertThat(b.id()).isGreaterThan(a.id());
        assertThat(journal.events(a.id())).extracting(JournalEvent::type).containsExactly(EventType.RUN_QUEUED);
        assertThat(journal.run(a.id())).contains(a);
        assertThat(journal.runs(stage, 10)).containsExactly(b, a);
    }

    @Test
    void enqueue_sameCommitAfterItEnded_makesANewRun() {
        RunRecord a = journal.enqueue("app", stage, "c1", RunKind.DEPLOY, "alice", t0);
        journal.append(a.id(), EventType.RUN_SUCCEEDED, null, Map.of(), t0);

        RunRecord b = journal.enqueue("app", stage, "c1", RunKind.DEPLOY, "alice", t0);

        assertThat(b.id()).isNotEqualTo(a.id());
        assertThat(journal.unfinishedRuns(stage)).containsExactly(b);
    }

    @Test
    void append_keepsOrderAndData() {
        RunRecord a = journal.enqueue("app", stage, "c1", RunKind.DEPLOY, "alice", t0);
        journal.append(a.id(), EventType.STEP_STARTED, "build", Map.of(), t0.plusSeconds(1));
        journal.append(a.id(), EventType.STEP_SUCCEEDED, "build", Map.of("digest", "sha256:ab"), t0.plusSeconds(2));

        List<JournalEvent> events = journal.events(a.id());

        assertThat(events).extracting(JournalEvent::seq).containsExactly(1, 2, 3);
        assertThat(events.get(2).data()).containsEntry("digest", "sha256:ab");
        assertThat(events.get(2).at()).isEqualTo(t0.plusSeconds(2));
        assertThat(RunView.of(a, events).succeeded("build")).isTrue();
    }

    @Test
    void eventsOfStage_everyRunOfTheStageInOrder_noOtherStagesRuns() {
        RunRecord a = journal.enqueue("app", stage, "c1", RunKind.DEPLOY, "alice", t0);
        RunRecord other = journal.enqueue("app", stage + "-other", "c1", RunKind.DEPLOY, "alice", t0);
        journal.append(a.id(), EventType.STEP_STARTED, "build", Map.of(), t0.plusSeconds(1));
        journal.append(other.id(), EventType.STEP_STARTED, "build", Map.of(), t0.plusSeconds(1));
        journal.append(a.id(), EventType.RUN_SUCCEEDED, null, Map.of("commit", "c1"), t0.plusSeconds(2));
        RunRecord b = journal.enqueue("app", stage, "c2", RunKind.DEPLOY, "bob", t0.plusSeconds(3));

        Map<Long, List<JournalEvent>> events = journal.eventsOfStage(stage);

        assertThat(events).containsOnlyKeys(a.id(), b.id());
        assertThat(events.get(a.id())).isEqualTo(journal.events(a.id()));
        assertThat(events.get(a.id())).extracting(JournalEvent::seq).containsExactly(1, 2, 3);
        assertThat(events.get(b.id())).isEqualTo(journal.events(b.id()));
    }

    @Test
    void append_fromTwoConnectionsAtOnce_losesNothing() {
        RunRecord a = journal.enqueue("app", stage, "c1", RunKind.DEPLOY, "alice", t0);
        Journal other = open();

        CompletableFuture<?> x = CompletableFuture.runAsync(() -> appendMany(journal, a.id(), 25));
        CompletableFuture<?> y = CompletableFuture.runAsync(() -> appendMany(other, a.id(), 25));
        CompletableFuture.allOf(x, y).join();

        assertThat(journal.events(a.id())).hasSize(51).extracting(JournalEvent::seq).doesNotHaveDuplicates();
    }

    private void appendMany(Journal j, long run, int n) {
        for (int i = 0; i < n; i++) {
            j.append(run, EventType.APPROVED, "approval", Map.of("by", "p" + i), t0);
        }
    }

    @Test
    void key_isTheSameForEveryConnectionToOneStore() {
        String key = journal.key();

        assertThat(key).isNotBlank().matches("[0-9a-z]+");
        assertThat(open().key()).isEqualTo(key);
    }

    @Test
    void logs_areKeptInOrder() {
        RunRecord a = journal.enqueue("app", stage, "c1", RunKind.DEPLOY, "alice", t0);
        journal.log(a.id(), "migrate", "line 1", t0);
        journal.log(a.id(), "migrate", "line 2", t0);

        assertThat(journal.logs(a.id())).extracting(LogLine::line).containsExactly("line 1", "line 2");
    }

    @Test
    void lease_oneHolderAtATime_untilReleased() {
        Duration ttl = Duration.ofMinutes(1);
        Fence a = journal.tryAcquire(stage, "a", 1, ttl, l -> false).orElseThrow();
        assertThat(journal.tryAcquire(stage, "b", 2, ttl, l -> false)).isEmpty();
        assertThat(journal.heartbeat(a, 1, ttl)).isTrue();
        journal.release(a);
        assertThat(journal.lease(stage).orElseThrow().isFree()).isTrue();

        Fence b = journal.tryAcquire(stage, "b", 2, ttl, l -> false).orElseThrow();

        assertThat(b.epoch()).isEqualTo(a.epoch() + 1);
        assertThat(journal.heartbeat(a, 1, ttl)).as("a released it").isFalse();
    }

    @Test
    void lease_expiredOnTheStoresClock_isTakenOverAndTheOldHolderIsFencedOut() {
        Fence a = journal.tryAcquire(stage, "a", 1, Duration.ZERO, l -> false).orElseThrow(); // expires at once
        RunRecord run = journal.enqueue("app", stage, "c1", RunKind.DEPLOY, "alice", t0);

        Fence b = journal.tryAcquire(stage, "b", 1, Duration.ofMinutes(1), l -> false).orElseThrow();

        assertThat(b.epoch()).isGreaterThan(a.epoch());
        assertThat(journal.heartbeat(a, 1, Duration.ofMinutes(1))).as("a lost it").isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> journal.append(a, run.id(), EventType.RUN_STARTED, null, Map.of(), t0))
                .isInstanceOf(LeaseLostException.class).hasMessageContaining("no longer holds the lease of stage " + stage);
        assertThat(journal.append(b, run.id(), EventType.RUN_STARTED, null, Map.of(), t0).seq()).isEqualTo(2);
        assertThat(journal.events(run.id())).hasSize(2);
    }

    @Test
    void lease_liveForeignHolder_isNotTakenBeforeExpiry() {
        journal.tryAcquire(stage, "a", 1, Duration.ofMinutes(5), l -> false).orElseThrow();

        assertThat(journal.tryAcquire(stage, "b", 2, Duration.ofMinutes(5), l -> false)).isEmpty();
        assertThat(journal.lease(stage).orElseThrow().holder()).isEqualTo("a");
    }

    @Test
    void lease_deadHolder_isTakenOverBeforeExpiry() {
        journal.tryAcquire(stage, "dead", 1, Duration.ofMinutes(5), l -> false);

        assertThat(journal.tryAcquire(stage, "b", 2, Duration.ofMinutes(5), l -> l.holder().equals("dead"))).isPresent();
        assertThat(journal.lease(stage).orElseThrow().holder()).isEqualTo("b");
    }

    @Test
    void lease_manyContenders_exactlyOneWins() {
        AtomicInteger winners = new AtomicInteger();
        List<Journal> journals = List.of(journal, open(), open(), open());
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (int i = 0; i < journals.size(); i++) {
            Journal j = journals.get(i);
            String holder = "h" + i;
            all.add(CompletableFuture.runAsync(() -> {
                if (j.tryAcquire(stage, holder, 1, Duration.ofMinutes(1), l -> false).isPresent()) {
                    winners.incrementAndGet();
                }
            }));
        }
        all.forEach(CompletableFuture::join);

        assertThat(winners).hasValue(1);
    }

    @Test
    void enqueue_sameRequestFromManyConnectionsAtOnce_makesOneRun() {
        List<Journal> journals = List.of(journal, open(), open(), open(), open());
        List<CompletableFuture<RunRecord>> all = new ArrayList<>();
        for (Journal j : journals) {
            all.add(CompletableFuture.supplyAsync(() -> j.enqueue("app", stage, "c1", RunKind.DEPLOY, "alice", t0)));
        }

        List<Long> ids = all.stream().map(CompletableFuture::join).map(RunRecord::id).distinct().toList();

        assertThat(ids).hasSize(1);
        assertThat(journal.unfinishedRuns(stage)).hasSize(1);
        assertThat(journal.events(ids.get(0))).hasSize(1);
    }

    @Test
    void enqueue_givesEveryRunAKeyUniqueAcrossJournals() {
        RunRecord a = journal.enqueue("app", stage, "c1", RunKind.DEPLOY, "alice", t0);
        RunRecord b = journal.enqueue("app", stage, "c2", RunKind.DEPLOY, "alice", t0);

        assertThat(RunKeys.isKey(a.key())).isTrue();
        assertThat(a.key()).isNotEqualTo(b.key());
        assertThat(journal.run(a.id()).orElseThrow().key()).isEqualTo(a.key());
    }

    @Test
    void state_isKeptInTheRunRow_releasesAndCountsComeFromIt() {
        RunRecord ok = journal.enqueue("app", stage, "c1", RunKind.DEPLOY, "alice", t0);
        journal.append(ok.id(), EventType.STEP_SUCCEEDED, "build", Map.of("digest", "sha256:1"), t0);
        journal.append(ok.id(), EventType.RUN_SUCCEEDED, null, Map.of(), t0);
        RunRecord failed = journal.enqueue("app", stage, "c2", RunKind.DEPLOY, "alice", t0);
        journal.append(failed.id(), EventType.RUN_FAILED, null, Map.of("reason", "x"), t0);
        RunRecord open = journal.enqueue("app", stage, "c3", RunKind.DEPLOY, "alice", t0);

        assertThat(journal.releases(stage, null, 10)).containsExactly(ok);
        assertThat(journal.releases(stage, "c2", 10)).isEmpty();
        assertThat(journal.unfinishedRuns(stage)).containsExactly(open);
        assertThat(journal.countByState("app", stage)).containsEntry(RunState.SUCCEEDED, 1L).containsEntry(RunState.FAILED, 1L)
                .containsEntry(RunState.ROLLED_BACK, 0L);
        assertThat(journal.build("app", "c1", List.of(stage))).contains(Map.of("digest", "sha256:1"));
        assertThat(journal.build("app", "c1", List.of("elsewhere"))).isEmpty();
    }

    @Test
    void verified_newestSucceededRunOfTheTree_isFoundWithItsProvenance() {
        RunRecord older = journal.enqueue(new RunRequest("app", stage, "c1", RunKind.DEPLOY, "alice", null, null, "t1", null, null), t0);
        journal.append(older.id(), EventType.RUN_SUCCEEDED, null, Map.of(), t0);
        RunRecord newer = journal.enqueue(new RunRequest("app", stage, "c2", RunKind.DEPLOY, "alice", null, null, "t1", null, null), t0);
        journal.append(newer.id(), EventType.RUN_SUCCEEDED, null, Map.of(), t0);
        RunRecord failed = journal.enqueue(new RunRequest("app", stage, "c3", RunKind.DEPLOY, "alice", null, null, "t1", null, null), t0);
        journal.append(failed.id(), EventType.RUN_FAILED, null, Map.of("reason", "x"), t0);
        journal.enqueue(new RunRequest("app", stage, "c4", RunKind.DEPLOY, "alice", null, null, "t2", null, null), t0); // not ended
        RunRecord promoted = journal.enqueue(new RunRequest("app", stage + "-prod", "c2", RunKind.DEPLOY, "bob",
                "img@sha256:1", null, "t1", newer.id(), null), t0);

        assertThat(journal.verified(stage, "t1")).contains(newer);
        assertThat(journal.verified(stage, "t2")).isEmpty();
        assertThat(journal.verified(stage + "-prod", "t1")).isEmpty();
        assertThat(journal.run(promoted.id()).orElseThrow()).isEqualTo(promoted)
                .extracting(RunRecord::tree, RunRecord::promotedFrom).containsExactly("t1", newer.id());
        assertThat(journal.run(older.id()).orElseThrow().promotedFrom()).isNull();
    }

    /** Adds {@code count} runs of {@link #stage} that ended in {@code state}, in one transaction. */
    private void history(RunState state, int count) {
        String[] s = store();
        dev.slipway.core.testing.JournalRows.insertEnded(s[0], s[1], s[2], "app", stage, state, count, t0);
    }

    /** Finding 7: the release before 250 failed runs is still a release (an old scan read only the newest 200 runs). */
    @Test
    void releases_olderThan250FailedRuns_areFound() {
        RunRecord ok = journal.enqueue("app", stage, "c1", RunKind.DEPLOY, "alice", t0);
        journal.append(ok.id(), EventType.RUN_SUCCEEDED, null, Map.of(), t0);
        history(RunState.FAILED, 250);

        assertThat(journal.releases(stage, null, 2)).containsExactly(ok);
        assertThat(journal.releases(stage, "c1", 1)).containsExactly(ok);
        assertThat(journal.runs(stage, 300)).hasSize(251);
    }

    /** Finding 7: slipway_runs_total counts every run ever ended (an old count read the newest 1000, so it could go down). */
    @Test
    void metrics_runsTotal_countsBeyondAThousandRuns() {
        history(RunState.FAILED, 1100);
        history(RunState.SUCCEEDED, 150);
        RunRecord latest = journal.enqueue("app", stage, "c1", RunKind.DEPLOY, "alice", t0);
        journal.append(latest.id(), EventType.RUN_SUCCEEDED, null, Map.of(), t0.plusSeconds(60));

        String text = dev.slipway.core.metrics.RunMetrics.render(journal, "app", stage, t0.plusSeconds(60));

        String labels = "{app=\"app\",result=";
        String stageLabel = "\",stage=\"" + stage + "\"} ";
        assertThat(text).contains("slipway_runs_total" + labels + "\"failed" + stageLabel + "1100.0\n")
                .contains("slipway_runs_total" + labels + "\"succeeded" + stageLabel + "151.0\n")
                .contains("slipway_runs_total" + labels + "\"rolled_back" + stageLabel + "0.0\n");
        assertThat(journal.countByState("app", stage)).containsEntry(RunState.FAILED, 1100L).containsEntry(RunState.SUCCEEDED, 151L);
    }

    @Test
    void open_passwordInTheUrl_isMaskedInTheError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Journals.open(
                        "jdbc:postgresql://127.0.0.1:1/none?user=u&password=hunter2", null, null))
                .hasMessageContaining("password=****").hasMessageNotContaining("hunter2");
    }

    @Test
    void open_unreachableStore_isAStateStoreErrorWithExit2() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Journals.open(
                        "jdbc:postgresql://127.0.0.1:1/none", "u", "secret-pw"))
                .isInstanceOf(dev.slipway.core.SlipwayException.class)
                .hasMessageContaining("cannot open state store jdbc:postgresql://127.0.0.1:1/none")
                .hasMessageNotContaining("secret-pw")
                .satisfies(e -> assertThat(((dev.slipway.core.SlipwayException) e).exitCode()).isEqualTo(2));
    }
}
