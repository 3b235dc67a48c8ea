package dev.slipway.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.testing.SignalTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file-steered target that the CLI's process tests use: a held step waits for its go file, however it appears. */
class SignalTargetTest {
    @TempDir
    Path dir;
    EngineHarness h;
    Path control;

    @BeforeEach
    void setUp() throws IOException {
        h = new EngineHarness(dir);
        control = Files.createDirectories(dir.resolve("control"));
    }

    @AfterEach
    void tearDown() throws Exception {
        h.close();
    }

    private List<String> calls() throws IOException {
        Path log = control.resolve("calls.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void step_held_waitsForItsGoFileThenEnds() throws Exception {
        Engine e = h.engine("signals", p -> p.target = new SignalTarget(control));
        Files.writeString(control.resolve("hold"), "");
        for (String step : List.of("snapshot", "stop-old", "migrate", "deploy", "verify")) {
            Files.writeString(control.resolve("go." + step), "");
        }
        RunRecord r = e.request("staging", "c1", RunKind.DEPLOY, "t");

        Background<RunView> run = Background.start("signals", () -> e.run(r.id(), RunListener.NONE));
        await().atMost(Duration.ofSeconds(10)).until(() -> calls().contains(r.id() + " build start"));
        assertThat(calls()).doesNotContain(r.id() + " build end");
        assertThat(run.result()).isNotDone();
        Files.move(Files.writeString(dir.resolve("go.build.tmp"), ""), control.resolve("go.build")); // as another process would

        assertThat(run.get().state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(calls()).contains(r.id() + " build end", r.id() + " verify end");
    }

    @Test
    void step_heldAndInterrupted_stopsWaiting() throws Exception {
        Engine e = h.engine("signals", p -> p.target = new SignalTarget(control));
        e.onStuckStep(() -> {
            throw new AssertionError("the held step did not stop when interrupted");
        });
        Files.writeString(control.resolve("hold"), "");
        RunRecord r = e.request("staging", "c1", RunKind.DEPLOY, "t");
        Background<RunView> run = Background.start("signals", () -> e.run(r.id(), RunListener.NONE));
        await().atMost(Duration.ofSeconds(10)).until(() -> calls().contains(r.id() + " build start"));

        e.cancel("interrupted by SIGINT");

        RunView v = run.get();
        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(v.reason()).isEqualTo("interrupted by SIGINT; nothing on stage staging was changed");
        assertThat(calls()).doesNotContain(r.id() + " build end");
    }
}
