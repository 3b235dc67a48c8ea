package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.journal.RunKeys;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.Target;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local target's preflight against podman/Docker and PostgreSQL: v1 of the example app is deployed by the engine
 * once for the class, then each test has the target alone build, snapshot and preflight a next version, as the engine
 * does before it stops anything. A preflight changes nothing of the stage (that is what the tests check), so they share
 * it. Port 28181.
 */
class PreflightIT extends EngineIt {
    private static final Path CONTEXTS = Path.of("target/it-contexts").toAbsolutePath();
    @TempDir
    static Path sharedWork;
    private static HelloStage shared;

    /** The class's stage with v1 deployed and serving, made by the first test that needs it. */
    private static HelloStage shared() {
        if (shared == null) {
            HelloStage stage = new HelloStage(docker, "it-preflight", 28181, 1, sharedWork);
            RunView v1 = stage.deploy("v1", "pf-v1"); // preflight off (HelloStage's default): v1 onto an empty database
            assertThat(v1.state()).as(stage.transcript(v1)).isEqualTo(RunState.SUCCEEDED);
            stage.preflight = null; // the target's default from here on
            shared = stage;
        }
        return shared;
    }

    @AfterAll
    static void removeStage() {
        if (shared != null) {
            shared.close();
            shared = null;
        }
    }

    @Test
    void preflight_failingMigration_throwsWithItsOutputAndTheOldReleaseNeverStopped() throws Exception {
        HelloStage stage = shared();
        FixedContext ctx = upToPreflight(stage, "v3", "pf-broken");
        List<String> startedBefore = startTimes(stage);
        assertThat(startedBefore).hasSize(1);
        Target target = stage.target(ctx.spec);

        assertThatThrownBy(() -> target.preflight(ctx)).isInstanceOfSatisfying(TargetException.class,
                e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("exited with code 1")
                .hasMessageContaining("greeting_ref")
                .hasMessageContaining("nothing was stopped");

        assertThat(startTimes(stage)).isEqualTo(startedBefore);
        assertThat(stage.health(0)).isEqualTo(200);
        assertThat(scratchDatabases(stage)).isEmpty();
        assertThat(preflightContainers(stage)).isEmpty();
    }

    @Test
    void preflight_newTableAndIndex_isExpand() throws Exception {
        HelloStage stage = shared();
        FixedContext ctx = upToPreflight(stage, "v2", "pf-expand");

        Outputs out = stage.target(ctx.spec).preflight(ctx);

        assertThat(out.get("schema")).as(out.toString()).contains("expand");
        assertThat(out.get("diff")).contains("table visits added; sequence visits_id_seq added");
        assertThat(out.get("scratch").orElseThrow()).startsWith(stage.database + "_pf_" + ctx.runKey());
        assertThat(scratchDatabases(stage)).isEmpty();
    }

    @Test
    void preflight_dropColumn_isBreakingAndNamesTheColumn() throws Exception {
        HelloStage stage = shared();
        context("pf-drop", "V4__drop_name_length.sql", "alter table greetings drop column name_length;");
        FixedContext ctx = upToPreflight(stage, "pf-drop", "pf-drop");

        Outputs out = stage.target(ctx.spec).preflight(ctx);

        assertThat(out.get("schema")).as(out.toString()).contains("breaking");
        assertThat(out.get("diff").orElseThrow()).startsWith("column greetings.name_length dropped");
        assertThat(scratchDatabases(stage)).isEmpty();
    }

    @Test
    void preflight_interruptedDuringTheMigration_removesScratchDatabaseAndContainer() throws Exception {
        HelloStage stage = shared();
        context("pf-slow", "V4__slow.sql", "select pg_sleep(120);");
        FixedContext ctx = upToPreflight(stage, "pf-slow", "pf-slow");
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        Thread run = new Thread(() -> {
            try {
                stage.target(ctx.spec).preflight(ctx);
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        run.start();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(1))
                .until(() -> ctx.log.stream().anyMatch(l -> l.startsWith("migrate: locations")));

        run.interrupt();
        run.join(60_000);

        assertThat(run.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(TargetException.class).hasMessageContaining("interrupted");
        assertThat(scratchDatabases(stage)).isEmpty();
        assertThat(preflightContainers(stage)).isEmpty();
    }

    @Test
    void preflight_leftovers_dropsItsOwnAndAbandonedOnesButNotOneInUse() throws Exception {
        HelloStage stage = shared();
        FixedContext ctx = upToPreflight(stage, "v2", "pf-left");
        String own = PreflightStep.scratchName(stage.database, ctx.runKey());
        String dead = PreflightStep.scratchName(stage.database, RunKeys.next());
        String live = PreflightStep.scratchName(stage.database, RunKeys.next());
        createDatabase(own); // an earlier attempt of this run that died before its clean-up
        createDatabase(dead); // a killed Slipway's: nothing holds it open
        createDatabase(live); // another Slipway's running preflight, whose guard connection holds it open
        try (Connection guard = DriverManager.getConnection(ItEnv.jdbcUrl(live), "postgres", "")) {
            stage.target(ctx.spec).preflight(ctx);

            assertThat(guard.isValid(5)).as("the live preflight's session was left alone").isTrue();
            assertThat(scratchDatabases(stage)).containsExactly(live);
            assertThat(ctx.log).contains("preflight: dropped scratch database " + dead + ", left by a preflight that no longer runs");
            assertThat(ctx.log).anyMatch(l -> l.startsWith("preflight: scratch databases of other runs remain: " + live + ";"));
        } finally {
            try (Connection c = DriverManager.getConnection(ItEnv.jdbcUrl("postgres"), "postgres", "");
                 java.sql.Statement s = c.createStatement()) {
                for (String db : List.of(own, dead, live)) {
                    s.execute("DROP DATABASE IF EXISTS " + PgTools.quote(db) + " WITH (FORCE)");
                }
            }
        }
    }

    /** Builds {@code version} and snapshots the stage (v1 serving) as a run for {@code commit} would. */
    private static FixedContext upToPreflight(HelloStage stage, String version, String commit) {
        SlipwaySpec spec = stage.spec(version);
        Target target = stage.target(spec);
        FixedContext ctx = new FixedContext(spec, stage.stage, 2, commit);
        ctx.runKey = RunKeys.next();
        ctx.timeout = java.time.Duration.ofMinutes(3);
        Outputs built = target.build(ctx.at(StepName.BUILD));
        Outputs snapshot = target.snapshot(ctx.at(StepName.SNAPSHOT));
        return ctx.with(StepName.BUILD, built).with(StepName.SNAPSHOT, snapshot).at(StepName.PREFLIGHT);
    }

    /** A build context like v1 with one more migration. */
    private static void context(String name, String file, String sql) throws IOException {
        Path dir = CONTEXTS.resolve(name);
        try (Stream<Path> files = Files.walk(CONTEXTS.resolve("v1"))) {
            for (Path f : files.toList()) {
                Path to = dir.resolve(CONTEXTS.resolve("v1").relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.writeString(dir.resolve("migrations").resolve(file), sql);
    }

    private static void createDatabase(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(ItEnv.jdbcUrl("postgres"), "postgres", "");
             java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + PgTools.quote(name));
        }
    }

    private static List<String> startTimes(HelloStage stage) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.APP, HelloStage.APP, Labels.STAGE, stage.stage, Labels.ROLE, Labels.SERVER))
                .exec().stream().map(c -> c.getId() + " " + docker.inspectContainerCmd(c.getId()).exec().getState().getStartedAt())
                .sorted().toList();
    }

    private static List<String> preflightContainers(HelloStage stage) {
        return docker.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(Labels.APP, HelloStage.APP, Labels.STAGE, stage.stage, Labels.ROLE, Labels.PREFLIGHT))
                .exec().stream().map(c -> c.getNames()[0]).toList();
    }

    private static List<String> scratchDatabases(HelloStage stage) throws SQLException {
        try (Connection c = DriverManager.getConnection(ItEnv.jdbcUrl("postgres"), "postgres", "");
             PreparedStatement s = c.prepareStatement("SELECT datname FROM pg_database WHERE datname LIKE ?")) {
            s.setString(1, stage.database + "\\_pf\\_%");
            List<String> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
