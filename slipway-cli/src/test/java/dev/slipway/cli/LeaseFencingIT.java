package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Slipway processes on one PostgreSQL journal: the holder of the stage is frozen (SIGSTOP) past the lease TTL, a
 * second process takes the stage over and resumes the run, then the first is thawed (SIGCONT). The stale holder must be
 * refused and stop acting, and the stage must end in exactly one consistent state.
 */
class LeaseFencingIT {
    static final String URL = System.getenv("SLIPWAY_TEST_PG_URL");
    static final String USER = System.getenv().getOrDefault("SLIPWAY_TEST_PG_USER", "postgres");

    @TempDir
    Path dir;

    @BeforeAll
    static void requirePostgres() {
        if ("true".equals(System.getenv("CI")) && URL == null) {
            throw new IllegalStateException("CI=true but SLIPWAY_TEST_PG_URL is not set: .ci/run must start PostgreSQL");
        }
        assumeTrue(URL != null, "SLIPWAY_TEST_PG_URL not set: skipping (scripts/test.sh sets it)");
    }

    /** A database of its own, so run numbers and leases of earlier test runs are not in the way. */
    private static String freshDatabase() throws Exception {
        String name = "slipway_fence_" + System.nanoTime();
        try (Connection c = DriverManager.getConnection(URL, USER, System.getenv("SLIPWAY_TEST_PG_PASSWORD"));
             Statement s = c.createStatement()) {
            s.execute("create database " + name);
        }
        return URL.substring(0, URL.lastIndexOf('/') + 1) + name;
    }

    @Test
    void frozenHolder_pastTheTtl_isTakenOverAndRefusedWhenItWakes() throws Exception {
        try (ProcessFixture f = new ProcessFixture(dir, freshDatabase(), USER)) {
            f.hold();
            f.go("build");
            f.go("snapshot");
            f.go("stop-old");
            SlipwayProcess first = f.deploy("c1c1c1c");
            f.awaitCall("1 migrate start");

            first.signal("STOP");
            SlipwayProcess second = f.deploy("c1c1c1c"); // asks for the same commit: joins run 1, then takes it over
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> f.journal.events(1).stream()
                    .anyMatch(e -> e.type() == EventType.RUN_RESUMED));
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> f.count("1 migrate start") == 2); // the new holder re-runs the unfinished migrate

            first.signal("CONT");
            int firstExit = first.waitFor(30);
            f.go("migrate");
            f.go("deploy");
            f.go("verify");
            int secondExit = second.waitFor(60);

            assertThat(firstExit).as(first.output()).isEqualTo(3);
            assertThat(first.output()).contains("lost the lease of stage staging");
            assertThat(f.journal.logs(1)).noneMatch(l -> l.line().contains("lost the lease")); // nothing written when fenced out
            assertThat(secondExit).as(second.output()).isZero();
            RunView run = RunView.of(f.journal.run(1).orElseThrow(), f.journal.events(1));
            assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
            List<EventType> afterTakeover = run.events().stream().dropWhile(e -> e.type() != EventType.RUN_RESUMED)
                    .map(JournalEvent::type).toList();
            assertThat(afterTakeover).containsExactly(EventType.RUN_RESUMED, EventType.STEP_STARTED, EventType.STEP_SUCCEEDED,
                    EventType.STEP_STARTED, EventType.STEP_SUCCEEDED, EventType.STEP_STARTED, EventType.STEP_SUCCEEDED,
                    EventType.RUN_SUCCEEDED);
            assertThat(run.events()).filteredOn(e -> e.type() == EventType.STEP_FAILED).isEmpty();
            assertThat(f.count("1 deploy start")).isEqualTo(1);
            assertThat(f.count("1 compensate start")).isZero();
            assertThat(f.journal.lease("staging").orElseThrow().isFree()).isTrue();
            assertThat(f.journal.runs("staging", 10)).hasSize(1);
        }
    }
}
