package dev.slipway.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.journal.LogLine;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import dev.slipway.core.spec.Strategy;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.TargetException;
import dev.slipway.core.testing.ScriptedTarget;
import dev.slipway.core.testing.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: a deploy's pending migrations pick the order. The source tree is a real directory of migration files; what
 * git says changed between two commits is scripted (the CLI's GitSourcesTest covers real git).
 */
class EngineStrategyTest {
    private static final String SPEC = """
            app: demo
            build: {context: .}
            migrations: {command: [migrate], timeout: 5s, files: ["db/*.sql"]}
            health: {timeout: 5s}
            timeouts: {build: 5s, snapshot: 5s, stop: 5s, deploy: 5s, compensate: 5s}
            stages:
              staging: {branch: main, target: test}
              pinned: {branch: pinned, target: test, strategy: online}
              careful: {branch: careful, target: test, strategy: stop-first, preflight: false}
            """;
    private static final List<StepName> ONLINE = List.of(StepName.CLASSIFY, StepName.PREFLIGHT, StepName.MIGRATE, StepName.DEPLOY,
            StepName.VERIFY, StepName.STOP_OLD);
    private static final List<StepName> STOP_FIRST = List.of(StepName.CLASSIFY, StepName.PREFLIGHT, StepName.STOP_OLD,
            StepName.MIGRATE, StepName.DEPLOY, StepName.VERIFY);

    @TempDir
    Path dir;
    final ScriptedTarget target = new ScriptedTarget().online(Optional.empty());
    /** What git would say changed, by "from→to" ("null→c1" for a first deploy); a missing pair: no history. */
    final Map<String, List<String>> changes = new ConcurrentHashMap<>();
    final TestClock clock = new TestClock();
    Journal journal;
    Engine engine;
    SlipwaySpec spec;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(dir.resolve("db"));
        spec = new SpecLoader(Set.of("test")).parse(SPEC, "test.yml", dir);
        journal = Journals.open("jdbc:sqlite:" + dir.resolve("state.db"), null, null);
        Sources sources = new Sources() {
            @Override
            public Path sourceDir(RunRecord run, SlipwaySpec s) {
                return dir;
            }

            @Override
            public Optional<List<String>> changes(SlipwaySpec s, String from, String to) {
                return Optional.ofNullable(changes.get(from + "→" + to));
            }
        };
        EngineOptions options = new EngineOptions("main", Duration.ofSeconds(2), Backoff.RETRIES, EngineHarness.POLL,
                clock.ticker(), clock, Map.<String, String>of()::get, true).withSources(sources);
        engine = new Engine(journal, spec, stage -> target, options);
    }

    @AfterEach
    void tearDown() {
        engine.close();
        journal.close();
    }

    private void migration(String file, String sql) throws Exception {
        Files.writeString(dir.resolve(file), sql);
    }

    private RunView deploy(String stage, String commit) {
        return engine.run(engine.request(stage, commit, RunKind.DEPLOY, "t").id(), RunListener.NONE);
    }

    /** The steps from classify on, in the order they started. */
    private static List<StepName> order(RunView v) {
        return v.events().stream().filter(e -> e.type() == EventType.STEP_STARTED).map(e -> StepName.fromId(e.step()))
                .filter(s -> s != StepName.BUILD && s != StepName.SNAPSHOT && s != StepName.APPROVAL).toList();
    }

    private static Map<String, String> outputs(RunView v, StepName step) {
        return v.events().stream().filter(e -> e.type() == EventType.STEP_SUCCEEDED && step.id().equals(e.step()))
                .map(JournalEvent::data).findFirst().orElseThrow();
    }

    private List<String> logs(RunView v) {
        return journal.logs(v.run().id()).stream().map(LogLine::line).toList();
    }

    @Test
    void expandMigrations_auto_migratesAndStartsBesideTheOldReleaseAndStopsItLast() throws Exception {
        migration("db/V1__users.sql", "CREATE TABLE users (id int primary key, name text);\n");
        changes.put("null→c1", List.of("A\tdb/V1__users.sql"));

        RunView v = deploy("staging", "c1");

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(order(v)).isEqualTo(ONLINE);
        assertThat(outputs(v, StepName.CLASSIFY)).containsEntry("class", "expand").containsEntry("strategy", "online")
                .containsEntry("pending", "1").containsEntry("files", "db/V1__users.sql");
        assertThat(target.strategySeenBy(StepName.DEPLOY)).isEqualTo(Strategy.ONLINE);
        assertThat(target.strategySeenBy(StepName.STOP_OLD)).isEqualTo(Strategy.ONLINE);
        assertThat(logs(v)).contains("strategy: online (migrations: expand, 1 pending file)");
    }

    @Test
    void breakingMigration_auto_stopsFirstAndSaysWhichStatement() throws Exception {
        migration("db/V1__users.sql", "CREATE TABLE users (id int primary key, legacy text);\n");
        migration("db/V2__drop.sql", "-- drop it\nALTER TABLE users DROP COLUMN legacy;\n");
        changes.put("null→c1", List.of("A\tdb/V1__users.sql"));
        changes.put("c1→c2", List.of("A\tdb/V2__drop.sql"));
        assertThat(deploy("staging", "c1").state()).isEqualTo(RunState.SUCCEEDED);

        RunView v = deploy("staging", "c2");

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(order(v)).isEqualTo(STOP_FIRST);
        Map<String, String> out = outputs(v, StepName.CLASSIFY);
        assertThat(out).containsEntry("class", "breaking").containsEntry("strategy", "stop-first").containsEntry("files", "db/V2__drop.sql");
        assertThat(out.get("reasons")).startsWith("db/V2__drop.sql:2 ALTER TABLE users DROP COLUMN legacy");
        assertThat(target.strategySeenBy(StepName.STOP_OLD)).isEqualTo(Strategy.STOP_FIRST);
        assertThat(logs(v)).anySatisfy(l -> assertThat(l).startsWith("strategy: stop-first (breaking: db/V2__drop.sql:2 ALTER TABLE"));
    }

    @Test
    void noGitHistory_auto_isUnknownSoStopFirst() throws Exception {
        migration("db/V1__users.sql", "CREATE TABLE users (id int);\n");

        RunView v = deploy("staging", "c1"); // no changes scripted: the source cannot tell

        assertThat(order(v)).isEqualTo(STOP_FIRST);
        assertThat(outputs(v, StepName.CLASSIFY)).containsEntry("class", "breaking").containsEntry("strategy", "stop-first");
        assertThat(outputs(v, StepName.CLASSIFY).get("reasons")).startsWith(Assessment.NO_HISTORY);
    }

    @Test
    void expandMigrations_targetCannotRunTwoReleases_autoStopsFirst() throws Exception {
        target.online(Optional.of("port 8080 is bound by one container at a time"));
        migration("db/V1__users.sql", "CREATE TABLE users (id int);\n");
        changes.put("null→c1", List.of("A\tdb/V1__users.sql"));

        RunView v = deploy("staging", "c1");

        assertThat(order(v)).isEqualTo(STOP_FIRST);
        assertThat(logs(v)).contains("strategy: stop-first (migrations: expand, 1 pending file, but port 8080 is bound by one container at a time)");
    }

    @Test
    void preflightSchemaDiffBreaking_overridesAStaticExpand() throws Exception {
        migration("db/V1__users.sql", "CREATE TABLE users (id int);\n");
        changes.put("null→c1", List.of("A\tdb/V1__users.sql"));
        target.on(StepName.PREFLIGHT, ctx -> Outputs.of("schema", "breaking", "diff", "users.name: type text -> varchar(10)"));

        RunView v = deploy("staging", "c1");

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(order(v)).isEqualTo(STOP_FIRST);
        assertThat(outputs(v, StepName.CLASSIFY)).containsEntry("strategy", "online");
        Map<String, String> pre = outputs(v, StepName.PREFLIGHT);
        assertThat(pre).containsEntry("class", "breaking").containsEntry("strategy", "stop-first").containsEntry("schema", "breaking");
        assertThat(pre.get("reasons")).startsWith("the preflight's schema diff drops or alters what the old release uses: users.name");
        assertThat(target.strategySeenBy(StepName.STOP_OLD)).as("StepContext.strategy() prefers the preflight's").isEqualTo(Strategy.STOP_FIRST);
    }

    @Test
    void preflightFails_runFailsBeforeAnythingChanged() throws Exception {
        migration("db/V1__users.sql", "CREATE TABLE users (id int);\n");
        changes.put("null→c1", List.of("A\tdb/V1__users.sql"));
        target.on(StepName.PREFLIGHT, ctx -> {
            throw TargetException.permanent("migrate exited 1 on a scratch copy: ERROR: relation \"users\" already exists");
        });

        RunView v = deploy("staging", "c1");

        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(v.reason()).isEqualTo("preflight failed: migrate exited 1 on a scratch copy: ERROR: relation \"users\" already exists;"
                + " nothing on stage staging was changed");
        assertThat(target.count(StepName.STOP_OLD) + target.count(StepName.MIGRATE) + target.count(StepName.COMPENSATE)).isZero();
    }

    @Test
    void preflightFalse_skipsThePreflight() throws Exception {
        migration("db/V1__users.sql", "CREATE TABLE users (id int);\n");
        changes.put("null→c1", List.of("A\tdb/V1__users.sql"));

        RunView v = deploy("careful", "c1");

        assertThat(order(v)).containsExactly(StepName.CLASSIFY, StepName.STOP_OLD, StepName.MIGRATE, StepName.DEPLOY, StepName.VERIFY);
        assertThat(target.count(StepName.PREFLIGHT)).isZero();
    }

    @Test
    void targetWithoutPreflight_journalsWhyAndNeverCallsIt() throws Exception {
        target.preflight(Optional.of("the scripted target has no preflight"));
        migration("db/V1__users.sql", "CREATE TABLE users (id int);\n");
        changes.put("null→c1", List.of("A\tdb/V1__users.sql"));

        RunView v = deploy("staging", "c1");

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(target.count(StepName.PREFLIGHT)).isZero();
        assertThat(outputs(v, StepName.PREFLIGHT)).containsEntry("schema", "unchecked")
                .containsEntry("reason", "the scripted target has no preflight");
        assertThat(logs(v)).anySatisfy(l -> assertThat(l).startsWith("no preflight: the scripted target has no preflight; "));
    }

    @Test
    void plan_saysPerStageAndTargetWhetherThePreflightRuns() throws Exception {
        migration("db/V1__users.sql", "CREATE TABLE users (id int);\n");
        changes.put("null→c1", List.of("A\tdb/V1__users.sql"));

        List<String> on = engine.plan("staging", "c1");
        List<String> off = engine.plan("careful", "c1");
        target.preflight(Optional.of("the scripted target has no preflight"));
        List<String> none = engine.plan("staging", "c1");

        assertThat(on).contains("3. preflight on a scratch copy of the snapshot: the migrations run there before anything"
                + " stops, a failing one fails the deploy with nothing changed, and a schema diff that drops or alters makes it stop-first");
        assertThat(off).contains("3. no preflight (disabled: stages.careful.preflight: false); a failing migration fails after"
                + " the old release stopped, and is compensated");
        assertThat(none).contains("3. no preflight: the scripted target has no preflight");
    }

    @Test
    void explicitOnline_targetCannot_isRefusedBeforeAnythingChanges() {
        target.online(Optional.of("the scripted target has one port"));

        assertThatThrownBy(() -> engine.request("pinned", "c1", RunKind.DEPLOY, "t"))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_CONFIG))
                .hasMessage("stages.pinned.strategy is online, but the scripted target has one port: set it to auto (which deploys"
                        + " stop-first there) or stop-first; nothing was changed");

        // a run queued while the target still could (another process's view), driven once it cannot: fails in classify
        target.online(Optional.empty());
        RunRecord r = engine.request("pinned", "c1", RunKind.DEPLOY, "t");
        target.online(Optional.of("the scripted target has one port"));
        RunView v = engine.run(r.id(), RunListener.NONE);

        assertThat(v.state()).isEqualTo(RunState.FAILED);
        assertThat(v.reason()).startsWith("classify failed: stages.pinned.strategy is online, but the scripted target has one port")
                .endsWith("; nothing on stage pinned was changed");
        assertThat(target.count(StepName.STOP_OLD)).isZero();
    }

    @Test
    void onlineVerifyFails_rolledBackSayingTheOldReleaseKeptServing() throws Exception {
        migration("db/V1__users.sql", "CREATE TABLE users (id int);\n");
        migration("db/V2__email.sql", "ALTER TABLE users ADD COLUMN email text;\n");
        changes.put("null→c1", List.of("A\tdb/V1__users.sql"));
        changes.put("c1→c2", List.of("A\tdb/V2__email.sql"));
        assertThat(deploy("staging", "c1").state()).isEqualTo(RunState.SUCCEEDED);
        target.on(StepName.VERIFY, ctx -> {
            throw TargetException.permanent("/health answered 500");
        });

        RunView v = deploy("staging", "c2");

        assertThat(v.state()).isEqualTo(RunState.ROLLED_BACK);
        assertThat(order(v)).containsExactly(StepName.CLASSIFY, StepName.PREFLIGHT, StepName.MIGRATE, StepName.DEPLOY,
                StepName.VERIFY, StepName.COMPENSATE);
        assertThat(v.reason()).isEqualTo("verify failed: /health answered 500; the old release kept serving throughout;"
                + " the database keeps the expanded schema of c2 (migrations are not undone)");
        assertThat(target.strategySeenBy(StepName.COMPENSATE)).isEqualTo(Strategy.ONLINE);
    }

    @Test
    void onlineStopOldFails_newReleaseServes_runSucceedsWithAWarning() throws Exception {
        migration("db/V1__users.sql", "CREATE TABLE users (id int);\n");
        changes.put("null→c1", List.of("A\tdb/V1__users.sql"));
        target.on(StepName.STOP_OLD, ctx -> {
            throw TargetException.permanent("container demo-old did not stop");
        });

        RunView v = deploy("staging", "c1");

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(target.count(StepName.COMPENSATE)).isZero();
        JournalEvent done = v.events().get(v.events().size() - 1);
        assertThat(done.type()).isEqualTo(EventType.RUN_SUCCEEDED);
        assertThat(done.get("warning")).startsWith("the new release c1 is verified and serving, but stopping the old one failed:"
                + " container demo-old did not stop");
    }

    @Test
    void resumedAfterClassify_keepsTheJournaledStrategy() throws Exception {
        migration("db/V1__users.sql", "CREATE TABLE users (id int);\n");
        RunRecord r = engine.request("staging", "c1", RunKind.DEPLOY, "t");
        java.time.Instant at = clock.instant();
        // a process classified the run online and died; git would now say nothing (unknown: stop-first if asked again)
        journal.append(r.id(), EventType.RUN_STARTED, null, Map.of("holder", "gone", "commit", "c1", "key", r.key()), at);
        for (StepName s : List.of(StepName.BUILD, StepName.SNAPSHOT)) {
            journal.append(r.id(), EventType.STEP_STARTED, s.id(), Map.of(), at);
            journal.append(r.id(), EventType.STEP_SUCCEEDED, s.id(), s == StepName.BUILD
                    ? Map.of("image", "app:c1", "digest", "sha256:c1") : Map.of("snapshot", "s1"), at);
        }
        journal.append(r.id(), EventType.STEP_STARTED, StepName.CLASSIFY.id(), Map.of(), at);
        journal.append(r.id(), EventType.STEP_SUCCEEDED, StepName.CLASSIFY.id(), Map.of("class", "expand", "strategy", "online",
                "reasons", "", "pending", "1", "files", "db/V1__users.sql"), at);

        RunView v = engine.run(r.id(), RunListener.NONE);

        assertThat(v.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(order(v)).isEqualTo(ONLINE);
        assertThat(target.steps(r.id())).doesNotContain(StepName.BUILD).startsWith(StepName.PREFLIGHT, StepName.MIGRATE);
    }

    @Test
    void plan_showsTheClassTheStrategyAndTheBreakingStatementsWithoutJournalingAnything() throws Exception {
        migration("db/V1__users.sql", "CREATE TABLE users (id int primary key, legacy text);\n");
        migration("db/V2__drop.sql", "-- drop it\nALTER TABLE users DROP COLUMN legacy;\n");
        changes.put("null→c1", List.of("A\tdb/V1__users.sql"));
        changes.put("null→c2", List.of("A\tdb/V2__drop.sql")); // a table this deploy did not create

        List<String> expand = engine.plan("staging", "c1");
        List<String> breaking = engine.plan("staging", "c2");

        assertThat(expand).contains("2. classify: strategy: online (migrations: expand, 1 pending file)", "   pending: db/V1__users.sql");
        assertThat(expand).anySatisfy(l -> assertThat(l).startsWith("7. stop the old instances once the new release is verified"));
        assertThat(breaking).anySatisfy(l -> assertThat(l).startsWith("2. classify: strategy: stop-first (breaking: db/V2__drop.sql:2 ALTER TABLE"));
        assertThat(breaking).anySatisfy(l -> assertThat(l).startsWith("   breaking: db/V2__drop.sql:2 ALTER TABLE users DROP COLUMN legacy — "));
        assertThat(breaking).anySatisfy(l -> assertThat(l).startsWith("4. stop the old instances; 5. migrate with migrate"));
        assertThat(journal.runs("staging", 10)).isEmpty();
    }
}
