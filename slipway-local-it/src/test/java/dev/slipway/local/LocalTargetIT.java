package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.target.SnapshotInfo;
import dev.slipway.core.target.StepName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * End-to-end: the real engine drives the local target against podman/Docker, PostgreSQL, Redis and the example app
 * (see {@link ItEnv} for what must be running). Each test has its own stage, database and ports 28100-28199.
 */
class LocalTargetIT extends EngineIt {
    @Test
    void deploy_twoHealthyReleases_newReplicasServeAndOldContainersAreRemoved() {
        try (HelloStage stage = new HelloStage(docker, "it-happy", 28110, 2, work)) {
            stage.preflight = null; // the local target's default: preflight on
            RunView first = stage.deploy("v1", "c1");
            assertThat(first.state()).as(stage.transcript(first)).isEqualTo(RunState.SUCCEEDED);
            assertThat(stage.info(0)).contains("\"c1\"");

            RunView second = stage.deploy("v2", "c2");

            assertThat(second.state()).as(stage.transcript(second)).isEqualTo(RunState.SUCCEEDED);
            assertThat(stage.info(0)).contains("\"c2\"");
            assertThat(stage.info(1)).contains("\"c2\"");
            assertThat(stage.containers()).containsExactly("hello-it-it-happy-2-0 running", "hello-it-it-happy-2-1 running");
            assertThat(second.step("snapshot").orElseThrow().outputs()).containsKeys("sha256", "sizeBytes", "durationMs");
            assertThat(second.step("build").orElseThrow().outputs().get("image")).isEqualTo("hello-it:c2");
            assertThat(second.step("preflight").orElseThrow().outputs()).containsEntry("schema", "expand"); // v2 adds a table
        }
    }

    @Test
    void deploy_sameCommitTwice_buildsOnceAndDeploysTheSameDigest() {
        try (HelloStage stage = new HelloStage(docker, "it-reuse", 28170, 1, work)) {
            RunView first = stage.deploy("v1", "once");
            assertThat(first.state()).as(stage.transcript(first)).isEqualTo(RunState.SUCCEEDED);

            RunView second = stage.deploy("v1", "once");

            assertThat(second.state()).as(stage.transcript(second)).isEqualTo(RunState.SUCCEEDED);
            assertThat(second.run().id()).isNotEqualTo(first.run().id());
            Map<String, String> built = first.step("build").orElseThrow().outputs();
            assertThat(second.step("build").orElseThrow().outputs()).containsEntry("digest", built.get("digest"))
                    .containsEntry("imageId", built.get("imageId"));
            assertThat(buildLog(stage, first)).anyMatch(l -> l.startsWith("building hello-it:once from "));
            assertThat(buildLog(stage, second)).noneMatch(l -> l.startsWith("building "))
                    .contains("reusing image hello-it:once (" + LocalSettings.shortId(built.get("imageId"))
                            + ") built by an earlier run for commit once; nothing is built");
            assertThat(stage.info(0)).contains("\"once\"");
        }
    }

    private static List<String> buildLog(HelloStage stage, RunView run) {
        return stage.journal.logs(run.run().id()).stream().filter(l -> "build".equals(l.step())).map(l -> l.line()).toList();
    }

    @Test
    void deploy_failedMigration_previousReleaseServesWithSchemaUnchangedAndReasonShowsOutput() throws Exception {
        try (HelloStage stage = new HelloStage(docker, "it-badmig", 28120, 2, work)) {
            // the migration must fail in the migrate step, after stop-old, to exercise compensation: the default
            // preflight would catch it on a scratch copy before anything stopped (PreflightDeployIT covers that)
            stage.preflight = false;
            RunView good = stage.deploy("v2", "good");
            assertThat(good.state()).as(stage.transcript(good)).isEqualTo(RunState.SUCCEEDED);
            String schemaBefore = schema(stage.database);

            RunView bad = stage.deploy("v3", "broken");

            assertThat(bad.state()).as(stage.transcript(bad)).isEqualTo(RunState.ROLLED_BACK);
            assertThat(bad.reason()).contains("migrate failed", "exited with code 1", "greeting_ref");
            assertThat(schema(stage.database)).isEqualTo(schemaBefore);
            assertThat(stage.info(0)).contains("\"good\"");
            assertThat(stage.info(1)).contains("\"good\"");
            assertThat(stage.containers()).containsExactly("hello-it-it-badmig-1-0 running", "hello-it-it-badmig-1-1 running");
        }
    }

    @Test
    void deploy_releaseNeverHealthy_previousReleaseServesWithinHealthTimeoutPlusAMinute() {
        try (HelloStage stage = new HelloStage(docker, "it-unhealthy", 28130, 2, work)) {
            RunView good = stage.deploy("v1", "good");
            assertThat(good.state()).as(stage.transcript(good)).isEqualTo(RunState.SUCCEEDED);
            Duration healthTimeout = Duration.ofSeconds(8);
            SlipwaySpec redisDown = stage.spec("v1", Map.of("REDIS_URL", "redis://127.0.0.1:1/0"), healthTimeout,
                    ItEnv.jdbcUrl(stage.database));

            Instant start = Instant.now();
            RunView bad = stage.deploy(redisDown, "no-redis");
            Duration took = Duration.between(start, Instant.now());

            assertThat(bad.state()).as(stage.transcript(bad)).isEqualTo(RunState.ROLLED_BACK);
            assertThat(bad.reason()).contains("verify failed", "not healthy", "HTTP 503");
            assertThat(took).isLessThan(healthTimeout.plusMinutes(1));
            assertThat(stage.info(0)).contains("\"good\"");
            assertThat(stage.health(1)).isEqualTo(200);
        }
    }

    @Test
    void deploy_slipwayKilledRightAfterStopOld_deployingAgainEndsHealthy() throws Exception {
        try (HelloStage stage = new HelloStage(docker, "it-crash", 28140, 2, work)) {
            RunView good = stage.deploy("v1", "old");
            assertThat(good.state()).as(stage.transcript(good)).isEqualTo(RunState.SUCCEEDED);
            Path specFile = work.resolve("crash.yml");
            Files.writeString(specFile, stage.yaml("v2", Map.of(), Duration.ofSeconds(30), ItEnv.jdbcUrl(stage.database)));
            Path marker = work.resolve("stopped-old");
            Process slipway = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CrashingDeploy.class.getName(), specFile.toString(),
                    Path.of("target/it-contexts").toAbsolutePath().toString(), stage.journalUrl(), stage.stage, "new",
                    marker.toString()))
                    .redirectErrorStream(true).redirectOutput(work.resolve("crashing.log").toFile()).start();
            try {
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                        .until(() -> Files.exists(marker) || !slipway.isAlive());
                assertThat(Files.exists(marker)).as(Files.readString(work.resolve("crashing.log"))).isTrue();
            } finally {
                slipway.destroyForcibly();
                slipway.waitFor(30, TimeUnit.SECONDS);
            }
            assertThat(stage.health(0)).as("stage is down between stop-old and migrate").isEqualTo(-1);

            RunView again = stage.deploy("v2", "new");

            assertThat(again.run().id()).as("deploying the same commit again joins the crashed run").isEqualTo(2);
            assertThat(again.state()).as(stage.transcript(again)).isIn(RunState.SUCCEEDED, RunState.ROLLED_BACK);
            assertThat(again.events()).anyMatch(e -> e.type().name().equals("RUN_RESUMED"));
            assertThat(stage.health(0)).isEqualTo(200);
            assertThat(stage.health(1)).isEqualTo(200);
        }
    }

    @Test
    void restore_snapshotOfTheStage_bringsBackItsRows() throws Exception {
        try (HelloStage stage = new HelloStage(docker, "it-restore", 28150, 1, work)) {
            RunView first = stage.deploy("v1", "first");
            assertThat(first.state()).as(stage.transcript(first)).isEqualTo(RunState.SUCCEEDED);
            sql(stage.database, "insert into greetings(name, name_length) select 'guest ' || g, 6 from generate_series(1, 500) g");
            String before = rows(stage.database);
            RunView second = stage.deploy("v1", "second");
            assertThat(second.state()).as(stage.transcript(second)).isEqualTo(RunState.SUCCEEDED);
            String snapshot = second.step("snapshot").orElseThrow().outputs().get("snapshot");
            sql(stage.database, "delete from greetings where id % 3 = 0; update greetings set name = 'changed' where id < 50");
            assertThat(rows(stage.database)).isNotEqualTo(before);
            SlipwaySpec spec = stage.spec("v1");
            FixedContext ctx = new FixedContext(spec, stage.stage, 0, "cli").at(StepName.COMPENSATE);

            List<SnapshotInfo> listed = stage.target(spec).snapshots(ctx);
            stage.target(spec).restore(ctx, snapshot);

            assertThat(rows(stage.database)).isEqualTo(before);
            assertThat(listed).extracting(SnapshotInfo::id).containsExactly(snapshot, first.run().key() + "-first");
            assertThat(listed.get(0).sizeBytes()).isPositive();
            assertThat(ctx.log).anyMatch(l -> l.startsWith("restored snapshot " + snapshot));
        }
    }

    @Test
    void deploy_databaseUnreachable_failsBeforeStoppingAnything() {
        try (HelloStage stage = new HelloStage(docker, "it-nodb", 28160, 1, work)) {
            assertThat(stage.deploy("v1", "good").state()).isEqualTo(RunState.SUCCEEDED);
            SlipwaySpec noDb = stage.spec("v1", Map.of(), Duration.ofSeconds(30), "jdbc:postgresql://127.0.0.1:1/nowhere");

            RunView run = stage.deploy(noDb, "unreachable");

            assertThat(run.state()).as(stage.transcript(run)).isEqualTo(RunState.FAILED);
            assertThat(run.reason()).contains("snapshot failed", "127.0.0.1:1/nowhere cannot be reached", "nothing was stopped");
            assertThat(run.steps()).doesNotContainKey("stop-old");
            assertThat(stage.info(0)).contains("\"good\"");
        }
    }

    /** {@code pg_dump --schema-only} of {@code db}. */
    private static String schema(String db) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new PgTools(null, java.time.Clock.systemUTC()).tool("pg_dump"), "--schema-only",
                "--no-password", "-h", "127.0.0.1", "-p", String.valueOf(ItEnv.PG_PORT), "-U", "postgres", db)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        // pg_dump 15.14+ wraps the dump in restrict/unrestrict meta-commands with a random key per dump
        return out.lines().filter(l -> !l.startsWith("\\restrict") && !l.startsWith("\\unrestrict"))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private static void sql(String db, String statements) throws SQLException {
        try (Connection c = DriverManager.getConnection(ItEnv.jdbcUrl(db), "postgres", "");
             Statement s = c.createStatement()) {
            for (String stmt : statements.split(";")) {
                s.execute(stmt);
            }
        }
    }

    /** Row count and a checksum over every row of greetings. */
    private static String rows(String db) throws SQLException {
        try (Connection c = DriverManager.getConnection(ItEnv.jdbcUrl(db), "postgres", "");
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*), md5(string_agg(g::text, '|' order by id)) from greetings g")) {
            rs.next();
            List<String> out = new ArrayList<>(List.of(rs.getString(1), String.valueOf(rs.getString(2))));
            return String.join(" ", out);
        }
    }
}
