package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The release a failed run brings back is the one that truly served the stage before, even when the journal does not
 * know it and stop-old ran twice; and a run that cannot bring it back says it needs a person. Ports 28200-28219.
 */
class PreviousReleaseIT extends EngineIt {
    @Test
    void deploy_killedInStopOldWithNoJournaledReleaseThenMigrationFails_oldReleaseServesAgainAndRunIsRolledBack() throws Exception {
        try (HelloStage stage = new HelloStage(docker, "it-stopcrash", 28200, 1, work)) {
            stage.preflight = false; // v3's migration must fail after stop-old, not in the default preflight
            RunView old = stage.deploy("v1", "old");
            assertThat(old.state()).as(stage.transcript(old)).isEqualTo(RunState.SUCCEEDED);
            stage.loseJournal(); // the new journal knows no release of the stage
            killInStopOld(stage, "v3", "broken");
            assertThat(stage.health(0)).as("the old release was stopped before the kill").isEqualTo(-1);

            RunView resumed = stage.deploy("v3", "broken");

            assertThat(resumed.state()).as(stage.transcript(resumed)).isEqualTo(RunState.ROLLED_BACK);
            assertThat(resumed.events()).anyMatch(e -> e.type().name().equals("RUN_RESUMED"));
            assertThat(resumed.reason()).contains("migrate failed");
            assertThat(resumed.step("stop-old").orElseThrow().outputs()).containsEntry("previous", old.run().key());
            assertThat(resumed.step("compensate").orElseThrow().outputs()).containsEntry("restored", old.run().key());
            assertThat(stage.info(0)).contains("\"old\"");
        }
    }

    @Test
    void deploy_previousContainersRemovedByHandThenMigrationFails_needsAttention() {
        try (HelloStage stage = new HelloStage(docker, "it-gone", 28210, 1, work)) {
            stage.preflight = false; // v3's migration must fail after stop-old, not in the default preflight
            RunView good = stage.deploy("v2", "good");
            assertThat(good.state()).as(stage.transcript(good)).isEqualTo(RunState.SUCCEEDED);
            stage.removeContainers();

            RunView bad = stage.deploy("v3", "broken");

            assertThat(bad.state()).as(stage.transcript(bad)).isEqualTo(RunState.NEEDS_ATTENTION);
            assertThat(bad.step("stop-old").orElseThrow().outputs()).containsEntry("previous", "none").containsEntry("stopped", "0");
            assertThat(bad.step("compensate").orElseThrow().outputs()).containsEntry("restored", "none");
            assertThat(bad.reason()).contains("nothing was brought back");
            assertThat(stage.containers()).isEmpty();
        }
    }

    /** Runs {@code commit} in a Slipway process of its own and SIGKILLs it right after its stop-old stopped the old release. */
    private void killInStopOld(HelloStage stage, String version, String commit) throws Exception {
        Path specFile = work.resolve("crash.yml");
        Files.writeString(specFile, stage.yaml(version, Map.of(), Duration.ofSeconds(30), ItEnv.jdbcUrl(stage.database)));
        Path marker = work.resolve("stopped-old");
        Path log = work.resolve("crashing.log");
        Process slipway = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingDeploy.class.getName(), specFile.toString(),
                Path.of("target/it-contexts").toAbsolutePath().toString(), stage.journalUrl(), stage.stage, commit,
                marker.toString(), "stop-old"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                    .until(() -> Files.exists(marker) || !slipway.isAlive());
            assertThat(Files.exists(marker)).as(Files.readString(log)).isTrue();
        } finally {
            slipway.destroyForcibly();
            slipway.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
