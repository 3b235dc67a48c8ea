package dev.slipway.core.engine;

import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import dev.slipway.core.testing.ScriptedTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An engine on a fresh SQLite journal with a scripted target; each {@link #engine(String)} is a separate "process". */
final class EngineHarness implements AutoCloseable {
    static final String SPEC = """
            app: demo
            build: {context: .}
            migrations: {command: [migrate], timeout: 5s}
            health: {timeout: 5s}
            timeouts: {build: 5s, snapshot: 5s, stop: 5s, deploy: 5s, compensate: 5s}
            stages:
              staging:
                branch: main
                target: test
                database:
                  url: jdbc:postgresql://127.0.0.1/x
                  password: ${env:DB_PASSWORD}
              production:
                branch: prod
                target: test
                approvals: {required: 2, approvers: [alice, bob, carol], timeout: 3s}
            """;

    final ScriptedTarget target = new ScriptedTarget();
    final SlipwaySpec spec;
    private final String url;
    private final List<AutoCloseable> open = new ArrayList<>();
    final Journal journal;
    final Engine engine;

    EngineHarness(Path dir) {
        this(dir, "jdbc:sqlite:" + dir.resolve("state.db"));
    }

    EngineHarness(Path dir, String url) {
        this.url = url;
        this.spec = new SpecLoader(Set.of("test")).parse(SPEC, "test.yml", dir);
        this.journal = journal();
        this.engine = engine("main");
    }

    Journal journal() {
        Journal j = Journals.open(url, null, null);
        open.add(j);
        return j;
    }

    Engine engine(String name) {
        return engine(name, Backoff.RETRIES);
    }

    Engine engine(String name, Backoff retries) {
        return engine(name, retries, journal());
    }

    Engine engine(String name, Backoff retries, Journal journal) {
        EngineOptions options = new EngineOptions(name, Duration.ofSeconds(2), retries,
                new Backoff(Duration.ofMillis(5), 1.5, Duration.ofMillis(50), Integer.MAX_VALUE), Sleeper.REAL,
                java.time.Clock.systemUTC(), Map.of("DB_PASSWORD", "pa55word-secret")::get, true);
        Engine e = new Engine(journal, spec, stage -> target, options);
        open.add(e);
        return e;
    }

    RunRecord request(String stage, String commit) {
        return engine.request(stage, commit, RunKind.DEPLOY, "tester");
    }

    RunView deploy(String stage, String commit) {
        return engine.run(request(stage, commit).id(), RunListener.NONE);
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }
}
