package dev.slipway.core.engine;

import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import dev.slipway.core.target.Target;
import dev.slipway.core.testing.JournalRows;
import dev.slipway.core.testing.ScriptedTarget;
import dev.slipway.core.testing.TestClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Engines on a fresh SQLite journal with a scripted target; each {@link #engine(String)} is a separate "process" with its
 * own holder name, journal connection and {@link TestClock}. No engine waits in real time for anything the test
 * controls: polls and retry backoff move the engine's clock ({@link TestClock#ticker()}), and step deadlines are
 * reached by advancing that clock. What stays real time is what the lease needs (heartbeats, a step's stop window),
 * because lease expiry is on the store's clock.
 */
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
                approvals: {required: 2, approvers: [alice, bob, carol], timeout: 1h}
            """;
    /** Polls go round often on the test clock: an approval wait needs very many rounds to reach its hour by itself. */
    static final Backoff POLL = new Backoff(Duration.ofMillis(1), 1.5, Duration.ofMillis(10), Integer.MAX_VALUE);

    final ScriptedTarget target = new ScriptedTarget();
    final SlipwaySpec spec;
    final String url;
    private final List<AutoCloseable> open = new ArrayList<>();
    final Journal journal;
    /** The clock of {@link #engine}. */
    final TestClock clock = new TestClock();
    final Engine engine;

    EngineHarness(Path dir) {
        this(dir, "jdbc:sqlite:" + dir.resolve("state.db"));
    }

    EngineHarness(Path dir, String url) {
        this.url = url;
        this.spec = new SpecLoader(Set.of("test")).parse(SPEC, "test.yml", dir);
        this.journal = journal();
        this.engine = engine("main", p -> p.clock = clock);
    }

    /** How one engine ("process") is set up; tests change what they need. */
    static final class Setup {
        TestClock clock = new TestClock();
        Journal journal;
        Duration leaseTtl = Duration.ofSeconds(2);
        Backoff retries = Backoff.RETRIES;
        Target target;
        ApprovalSource approvals = ApprovalSource.NONE;
    }

    Journal journal() {
        Journal j = Journals.open(url, null, null);
        open.add(j);
        return j;
    }

    Engine engine(String holder) {
        return engine(holder, p -> { });
    }

    Engine engine(String holder, Consumer<Setup> setUp) {
        Setup p = new Setup();
        p.target = target;
        setUp.accept(p);
        EngineOptions options = new EngineOptions(holder, p.leaseTtl, p.retries, POLL, p.clock.ticker(), p.clock,
                Map.of("DB_PASSWORD", "pa55word-secret")::get, true).withApprovals(p.approvals);
        Target t = p.target;
        Engine e = new Engine(p.journal != null ? p.journal : journal(), spec, stage -> t, options);
        open.add(e);
        return e;
    }

    RunRecord request(String stage, String commit) {
        return engine.request(stage, commit, RunKind.DEPLOY, "tester");
    }

    RunView deploy(String stage, String commit) {
        return engine.run(request(stage, commit).id(), RunListener.NONE);
    }

    /** Makes the stage's lease expired on the store's clock at once, as if its holder had stopped renewing long ago. */
    void expireLease(String stage) {
        JournalRows.execute(url, null, null, "update slipway_leases set expires_ms = 0 where stage = ?", stage);
    }

    /** Adds {@code count} runs of {@code stage} that ended in {@code state} (bulk, in one transaction). */
    void history(String stage, RunState state, int count) {
        JournalRows.insertEnded(url, null, null, spec.app(), stage, state, count, TestClock.START);
    }

    @Override
    public void close() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) { // engines before the journals they use
            open.get(i).close();
        }
    }
}
