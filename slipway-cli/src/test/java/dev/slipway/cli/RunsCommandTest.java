package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunRequest;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slipway runs}: one line per run, whatever its reason holds. */
class RunsCommandTest {
    @TempDir
    Path dir;

    @Test
    void runs_reasonWithTheMigrationsOutput_showsItsFirstLineOnlySoEachRunIsOneRow() throws Exception {
        Path spec = Files.writeString(dir.resolve("slipway.yml"), """
                app: demo
                build: {context: .}
                stages:
                  staging: {branch: main, target: local}
                """);
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        try (Journal j = Journals.open(Journals.defaultUrl(dir), null, null)) {
            RunRecord r = j.enqueue(new RunRequest("demo", "staging", "c1", RunKind.DEPLOY, "alice"), t);
            j.append(r.id(), EventType.RUN_STARTED, null, Map.of(), t);
            j.append(r.id(), EventType.RUN_FAILED, null, Map.of("reason",
                    "preflight failed: migrate exited with code 1; last output:\n  | ERROR: column x\n  | Line 9"), t.plusSeconds(6));
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int code = Main.run(new String[] {"runs", "-f", spec.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString().lines().toList()).hasSize(2); // the header and the run
        assertThat(out.toString().lines().toList().get(1)).endsWith("preflight failed: migrate exited with code 1; last output:");
    }
}
