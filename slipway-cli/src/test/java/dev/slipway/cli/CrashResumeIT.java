package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 3: SIGKILL after each step in turn; deploying again resumes the run and never repeats a succeeded step. */
class CrashResumeIT {
    static final List<String> STEPS = List.of("build", "snapshot", "stop-old", "migrate", "deploy", "verify");
    /** The target's steps and the engine's own: a migration command without migrations.files classifies breaking. */
    static final List<String> JOURNALED = List.of("build", "snapshot", "classify", "preflight", "stop-old", "migrate", "deploy",
            "verify");

    @TempDir
    Path dir;

    @Test
    void deploy_killedAfterEachStep_resumesAndRunsNoSucceededStepTwice() throws Exception {
        try (ProcessFixture f = new ProcessFixture(dir)) {
            f.hold();
            List<String> killedAfter = STEPS.subList(0, STEPS.size() - 1); // after verify the run ends at once
            for (String step : killedAfter) {
                SlipwayProcess p = f.deploy("c1c1c1c");
                f.go(step);
                f.awaitEvent(1, EventType.STEP_SUCCEEDED, step);
                p.kill();
            }

            SlipwayProcess last = f.deploy("c1c1c1c");
            f.go("verify");
            int code = last.waitFor(60);

            assertThat(code).as(last.output()).isZero();
            assertThat(last.output()).contains("run 1 (staging, c1c1c1c) succeeded");
            for (String step : STEPS) {
                assertThat(f.count("1 " + step + " end")).as("successful executions of " + step).isEqualTo(1);
            }
            assertThat(f.journal.runs("staging", 10)).as("one run for the one request, however often it was asked").hasSize(1);
            RunView v = RunView.of(f.journal.run(1).orElseThrow(), f.journal.events(1));
            assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(v.events().stream().filter(e -> e.type() == EventType.RUN_RESUMED).count()).isEqualTo(killedAfter.size());
            assertThat(v.events().stream().filter(e -> e.type() == EventType.STEP_SUCCEEDED).map(JournalEvent::step))
                    .containsExactlyInAnyOrderElementsOf(JOURNALED);
        }
    }
}
