package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 7: SIGINT (or SIGTERM) after stop-old brings the previous version back, journals why, exits 1. */
class SignalIT {
    @TempDir
    Path dir;

    @Test
    void sigintDuringMigrate_compensatesJournalsWhyAndExits1() throws Exception {
        interrupt("INT");
    }

    @Test
    void sigtermDuringMigrate_compensatesJournalsWhyAndExits1() throws Exception {
        interrupt("TERM");
    }

    private void interrupt(String signal) throws Exception {
        try (ProcessFixture f = new ProcessFixture(dir)) {
            f.hold();
            f.go("build");
            f.go("snapshot");
            f.go("stop-old");
            SlipwayProcess p = f.deploy("c1c1c1c");
            f.awaitCall("1 migrate start");

            p.signal(signal);

            assertThat(p.waitFor(30)).as(p.output()).isEqualTo(1);
            RunView v = RunView.of(f.journal.run(1).orElseThrow(), f.journal.events(1));
            assertThat(v.state()).isEqualTo(RunState.ROLLED_BACK);
            assertThat(v.reason()).isEqualTo("interrupted by SIG" + signal);
            assertThat(v.events()).extracting(e -> e.type()).contains(EventType.RUN_INTERRUPTED,
                    EventType.COMPENSATION_STARTED, EventType.ROLLED_BACK);
            assertThat(f.calls()).contains("1 compensate end").doesNotContain("1 migrate end", "1 deploy start");
            assertThat(p.output()).contains("failed and was rolled back").contains("interrupted by SIG" + signal);
            assertThat(f.journal.lease("staging").orElseThrow().isFree()).isTrue();
        }
    }
}
