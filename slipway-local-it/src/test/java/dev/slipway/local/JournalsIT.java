package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stage deployed by one journal and then by another: a lost journal's stage is taken over and deployed for real
 * (new snapshot, migration run), while a second journal that still exists is refused before anything changes.
 * Ports 28220-28239.
 */
class JournalsIT extends EngineIt {
    @Test
    void deploy_journalDeletedThenSameCommitAgain_takesANewSnapshotAndRunsTheMigration() {
        try (HelloStage stage = new HelloStage(docker, "it-lost", 28220, 1, work)) {
            RunView first = stage.deploy("v1", "same");
            assertThat(first.state()).as(stage.transcript(first)).isEqualTo(RunState.SUCCEEDED);
            stage.loseJournal(); // rm -rf .slipway/state.db; the snapshots are kept elsewhere (local.snapshot-dir)

            RunView again = stage.deploy("v1", "same");

            assertThat(again.state()).as(stage.transcript(again)).isEqualTo(RunState.SUCCEEDED);
            assertThat(again.run().id()).as("the new journal numbers its runs from 1 again").isEqualTo(first.run().id());
            String before = first.step("snapshot").orElseThrow().outputs().get("snapshot");
            String now = again.step("snapshot").orElseThrow().outputs().get("snapshot");
            assertThat(now).isNotEqualTo(before).startsWith(again.run().key());
            Path snapshots = stage.snapshotDir().resolve(stage.stage);
            assertThat(snapshots.resolve(before + ".dump")).exists();
            assertThat(snapshots.resolve(now + ".dump")).exists();
            String migration = again.step("migrate").orElseThrow().outputs().get("container");
            assertThat(migration).isEqualTo("hello-it-it-lost-" + again.run().key() + "-migrate");
            List<String> log = stage.journal.logs(again.run().id()).stream().map(l -> l.step() + ": " + l.line()).toList();
            assertThat(log).contains("migrate: running `java -jar /app/hello-server.jar migrate` in " + migration)
                    .contains("migrate: migrate: schema version 3 -> 3, 0 applied")
                    .noneMatch(l -> l.contains("earlier attempt of this run"))
                    .contains("build: the journal that was at sqlite:" + stage.journalFile() + " before this one is gone (its file was deleted"
                            + " and made again): this journal (sqlite:" + stage.journalFile() + ") takes stage it-lost over from it,"
                            + " with hello-it-it-lost-" + first.run().key() + "-0");
            assertThat(stage.info(0)).contains("\"same\"");
            assertThat(stage.containers()).containsExactly("hello-it-it-lost-1-0 running");
        }
    }

    @Test
    void deploy_secondJournalWhileTheFirstExists_failsAtOnceNamingTheFirstAndChangesNothing() {
        try (HelloStage stage = new HelloStage(docker, "it-second", 28230, 1, work)) {
            RunView first = stage.deploy("v1", "one");
            assertThat(first.state()).as(stage.transcript(first)).isEqualTo(RunState.SUCCEEDED);
            Path journalA = stage.journalFile();
            List<String> containers = stage.containers();
            stage.useJournal(work.resolve("b/state.db"));

            RunView second = stage.deploy("v1", "two");

            assertThat(second.state()).as(stage.transcript(second)).isEqualTo(RunState.FAILED);
            assertThat(second.reason()).contains("another Slipway journal, at sqlite:" + journalA,
                    "SLIPWAY_STATE_URL at it (state.url: jdbc:sqlite:" + journalA + ")", "podman rm -f hello-it-it-second-",
                    "nothing on stage it-second was changed");
            assertThat(second.steps()).doesNotContainKeys("snapshot", "stop-old");
            assertThat(Files.exists(journalA)).isTrue();
            assertThat(stage.containers()).isEqualTo(containers).containsExactly("hello-it-it-second-1-0 running");
            assertThat(stage.health(0)).isEqualTo(200);
            assertThat(stage.info(0)).contains("\"one\"");
        }
    }
}
