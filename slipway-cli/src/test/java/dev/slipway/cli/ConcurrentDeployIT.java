package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Lease;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 4: two deploy processes on one stage never overlap; a dead holder's lease is taken over. */
class ConcurrentDeployIT {
    @TempDir
    Path dir;

    @Test
    void twoDeploysAtOnce_stepsOfTwoRunsNeverOverlap() throws Exception {
        try (ProcessFixture f = new ProcessFixture(dir)) {
            SlipwayProcess a = f.deploy("aaaaaaa");
            SlipwayProcess b = f.deploy("bbbbbbb");

            assertThat(a.waitFor(60)).as(a.output()).isZero();
            assertThat(b.waitFor(60)).as(b.output()).isZero();

            assertNoOverlap(f.calls());
            List<RunRecord> runs = f.journal.runs("staging", 10);
            assertThat(runs).hasSize(2);
            List<RunState> states = runs.stream().map(r -> RunView.of(r, f.journal.events(r.id())).state()).toList();
            assertThat(states).contains(RunState.SUCCEEDED).allMatch(s -> s == RunState.SUCCEEDED || s == RunState.SUPERSEDED);
        }
    }

    @Test
    void holderKilled_nextDeployTakesTheLeaseOverWithinItsExpiry() throws Exception {
        try (ProcessFixture f = new ProcessFixture(dir)) {
            f.hold();
            SlipwayProcess a = f.deploy("aaaaaaa");
            f.awaitCall("1 build start");
            Lease held = f.journal.lease("staging").orElseThrow();
            // b is up and waiting for the lease before a dies, so what is timed is the takeover, not b's JVM start-up
            SlipwayProcess b = f.deploy("bbbbbbb");
            f.awaitEvent(2, EventType.RUN_QUEUED, null);
            a.kill();
            Instant killed = Instant.now();

            f.awaitEvent(1, EventType.RUN_RESUMED, null);
            Duration takeover = Duration.between(killed, Instant.now());
            for (String step : CrashResumeIT.STEPS) {
                f.go(step);
            }

            assertThat(b.waitFor(60)).as(b.output()).isZero();
            assertThat(takeover).isLessThan(Duration.ofSeconds(3)); // the lease TTL in the fixture
            assertThat(f.journal.lease("staging").orElseThrow().isFree()).isTrue();
            SlipwayProcess status = f.start("status", "--output", "json", "-f", f.spec.toString());
            assertThat(status.waitFor(30)).isZero();
            assertThat(status.output()).as("a released lease row is nobody's").doesNotContain("\"heldBy\":\"");
            assertThat(held.holder().split("/")).hasSize(4); // host/boot-id/pid/start
            assertThat(held.holder().split("/")[2]).isEqualTo(String.valueOf(a.process.pid()));
            assertNoOverlap(f.calls());
            assertThat(RunView.of(f.journal.run(1).orElseThrow(), f.journal.events(1)).state()).isEqualTo(RunState.SUCCEEDED);
        }
    }

    /** calls.log holds "run step start|end" lines in the order they happened; no two runs may be active at once. */
    static void assertNoOverlap(List<String> calls) {
        Set<String> active = new HashSet<>();
        for (String line : calls) {
            String[] p = line.split(" ");
            String key = p[0] + " " + p[1];
            if (p[2].equals("start")) {
                active.add(key);
            } else {
                active.remove(key);
            }
            assertThat(active.stream().map(k -> k.split(" ")[0]).distinct().count())
                    .as("runs active together at '" + line + "' in " + calls).isLessThanOrEqualTo(1);
        }
    }
}
