package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InterruptsTest {
    @TempDir
    Path dir;
    final StringWriter err = new StringWriter();
    final List<Integer> exits = new CopyOnWriteArrayList<>();
    final List<String> cancels = new CopyOnWriteArrayList<>();
    final Interrupts interrupts = new Interrupts(new PrintWriter(err, true), exits::add);

    @Test
    void signalled_beforeARunCanBeQueued_exits1AndSaysNothingChanged() {
        interrupts.signalled("SIGINT");

        assertThat(exits).containsExactly(1);
        assertThat(err.toString()).contains("interrupted by SIGINT before a run was queued; nothing was changed");
    }

    @Test
    void signalled_afterCancelThrough_cancelsNamingTheSignalAndDoesNotExit() {
        interrupts.cancelThrough(cancels::add);

        interrupts.signalled("SIGTERM");

        assertThat(cancels).containsExactly("interrupted by SIGTERM");
        assertThat(exits).isEmpty();
    }

    /** The signal lands after the run is queued but before the engine runs it (in a process: within microseconds). */
    @Test
    void drive_signalWhileTheRunIsBeingQueued_failsItUnstartedAndReturns1() throws IOException {
        SlipwaySpec spec = new SpecLoader().load(Files.writeString(dir.resolve("slipway.yml"), """
                app: demo
                build: {context: .}
                stages:
                  staging: {branch: main, target: test}
                """));
        StringWriter out = new StringWriter();

        int code = RunDriver.drive(spec, "staging", false, new PrintWriter(out, true), interrupts, engine -> {
            RunRecord run = engine.request("staging", "c1", RunKind.DEPLOY, "me");
            interrupts.signalled("SIGTERM");
            return run;
        });

        assertThat(code).as(out.toString()).isEqualTo(1);
        assertThat(exits).isEmpty();
        try (Journal journal = Journals.open(Journals.defaultUrl(dir), null, null)) {
            RunView v = RunView.of(journal.run(1).orElseThrow(), journal.events(1));
            assertThat(v.state()).isEqualTo(RunState.FAILED);
            assertThat(v.reason()).isEqualTo("cancelled before it started (interrupted by SIGTERM); nothing was changed");
        }
        assertThat(out.toString()).contains("run 1 (staging, c1) failed");
    }
}
