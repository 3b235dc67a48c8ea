package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.core.engine.Holder;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A SIGTERM while {@code slipway deploy} starts up never leaves a run unfinished in the journal: before anything is
 * queued the process ends with 1 and queues nothing; once a run is queued it ends FAILED ("nothing was changed") and
 * the process exits 1, the exit code of a run that failed without changing the stage.
 */
class StartupSignalIT {
    static final String CANCELLED = "cancelled before it started (interrupted by SIGTERM); nothing was changed";

    @TempDir
    Path dir;

    @Test
    void sigterm_whileTheProductionGateWaitsForGithub_exits1AndQueuesNothing() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        HttpServer github = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        github.createContext("/", ex -> {
            asked.countDown();
            try {
                never.await(); // GitHub hangs: the journal is not opened yet when the signal comes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        ExecutorService pool = Executors.newCachedThreadPool();
        github.setExecutor(pool);
        github.start();
        try (ProcessFixture f = new ProcessFixture(dir)) {
            Files.writeString(f.spec, """
                    app: demo
                    build: {context: .}
                    stages:
                      production: {branch: prod, target: test, approvals: {required: 1}}
                    """);
            SlipwayProcess p = SlipwayProcess.start(dir, Map.of("SLIPWAY_TEST_DIR", f.control.toString(), "GITHUB_TOKEN", "t",
                    "GITHUB_REPOSITORY", "acme/hello", "GITHUB_API_URL", "http://127.0.0.1:" + github.getAddress().getPort()),
                    "deploy", "production", "--commit", "c1c1c1c", "-f", f.spec.toString());
            await().atMost(Duration.ofSeconds(30)).until(() -> asked.getCount() == 0 || !p.process.isAlive());
            assertThat(asked.getCount()).as(p.output()).isZero();

            p.signal("TERM");

            assertThat(p.waitFor(30)).as(p.output()).isEqualTo(1);
            assertThat(p.output()).contains("interrupted by SIGTERM before a run was queued; nothing was changed");
            assertThat(f.journal.runs(null, 10)).isEmpty();
        } finally {
            never.countDown();
            github.stop(0);
            pool.shutdownNow();
        }
    }

    @Test
    void sigterm_rightAfterQueuedWhileAnotherProcessHoldsTheStage_failsTheRunAndExits1() throws Exception {
        try (ProcessFixture f = new ProcessFixture(dir)) {
            assertThat(f.journal.tryAcquire("staging", Holder.thisProcess(), 0, Duration.ofMinutes(5), l -> false))
                    .isPresent();
            SlipwayProcess p = f.deploy("c1c1c1c");
            awaitQueued(f.journal);

            p.signal("TERM");

            assertThat(p.waitFor(30)).as(p.output()).isEqualTo(1);
            RunView v = view(f.journal, 1);
            assertThat(v.state()).isEqualTo(RunState.FAILED);
            assertThat(v.reason()).isEqualTo(CANCELLED);
            assertThat(p.output()).contains("run 1 (staging, c1c1c1c) failed").contains(CANCELLED);
            assertThat(f.calls()).isEmpty();
        }
    }

    @Test
    void sigterm_whileQueuedWithGithubReporting_stillPostsTheFailureStatus() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer github = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        github.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " " + body);
            boolean list = ex.getRequestMethod().equals("GET");
            byte[] out = (list ? "[]" : "{\"id\": 77}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(list ? 200 : 201, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        github.start();
        try (ProcessFixture f = new ProcessFixture(dir)) {
            assertThat(f.journal.tryAcquire("staging", Holder.thisProcess(), 0, Duration.ofMinutes(5), l -> false))
                    .isPresent();
            SlipwayProcess p = SlipwayProcess.start(dir, Map.of("SLIPWAY_TEST_DIR", f.control.toString(), "GITHUB_TOKEN", "t",
                    "GITHUB_REPOSITORY", "acme/hello", "GITHUB_API_URL", "http://127.0.0.1:" + github.getAddress().getPort()),
                    "deploy", "staging", "--commit", "c1c1c1c", "-f", f.spec.toString());
            awaitQueued(f.journal);

            p.signal("TERM");

            assertThat(p.waitFor(30)).as(p.output()).isEqualTo(1);
            assertThat(requests).as(p.output()).filteredOn(r -> r.startsWith("POST /repos/acme/hello/deployments/77/statuses"))
                    .last().asString().contains("\"state\":\"failure\"").contains("cancelled before it started");
        } finally {
            github.stop(0);
        }
    }

    /**
     * The signal comes while a debugger holds the main thread at a moment of start-up: before the journal is opened
     * (nothing may be queued, exit 1), right after the run was queued, and just before the engine starts running it
     * (both: the run ends FAILED, nothing changed, exit 1).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"dev.slipway.core.journal.Journals#open", "dev.slipway.core.engine.Engine#request returned",
            "dev.slipway.core.engine.Engine#run"})
    void sigterm_whileStartUpStandsAtAMoment_leavesNoRunUnfinishedAndExits1(String moment) throws Exception {
        try (ProcessFixture f = new ProcessFixture(dir);
             PausedProcess paused = PausedProcess.start(PausedProcess.Moment.parse(moment), jvm -> f.deploy("c1c1c1c", jvm))) {
            paused.awaitReached(Duration.ofSeconds(60));

            paused.process.signal("TERM");
            paused.resume();

            int code = paused.process.waitFor(60);
            List<RunRecord> runs = f.journal.runs(null, 10);
            String what = moment + ", exit " + code + ", runs " + runs.stream().map(r -> view(f.journal, r.id()).state()).toList()
                    + ", output:\n" + paused.process.output();
            assertThat(code).as(what).isEqualTo(1);
            if (moment.endsWith("Journals#open")) {
                assertThat(runs).as(what).isEmpty();
                assertThat(paused.process.output()).contains("interrupted by SIGTERM before a run was queued; nothing was changed");
            } else {
                assertThat(runs).as(what).hasSize(1);
                RunView v = view(f.journal, 1);
                assertThat(v.state()).as(what).isEqualTo(RunState.FAILED);
                assertThat(v.reason()).as(what).isEqualTo(CANCELLED);
                assertThat(f.calls()).as(what).isEmpty();
            }
            assertThat(f.journal.lease("staging").filter(l -> !l.isFree())).as(what).isEmpty();
        }
    }

    /**
     * The moment of the signal, by the clock: right after the run row appears in the journal, once the build has
     * started, or a fixed time after launch (JVM start, spec loading, journal opening).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"queued", "build", "after 300 ms", "after 600 ms", "after 900 ms"})
    void sigterm_atAPointOfStartUp_leavesNoRunUnfinishedAndExitsAsDocumented(String point) throws Exception {
        try (ProcessFixture f = new ProcessFixture(dir)) {
            f.hold();
            SlipwayProcess p = f.deploy("c1c1c1c");
            if (point.equals("queued")) {
                awaitQueued(f.journal);
            } else if (point.equals("build")) {
                f.awaitCall("1 build start");
            } else {
                Thread.sleep(Long.parseLong(point.split(" ")[1])); // a moment of start-up, not an event to await
            }

            p.terminate();

            int code = p.waitFor(60);
            List<RunRecord> runs = f.journal.runs(null, 10);
            String what = point + ", exit " + code + ", output:\n" + p.output();
            if (!point.startsWith("after")) {
                assertThat(runs).as(what).hasSize(1);
            }
            for (RunRecord r : runs) {
                RunView v = view(f.journal, r.id());
                assertThat(v.state()).as(what).isEqualTo(RunState.FAILED);
                assertThat(v.reason()).as(what).isIn(CANCELLED, "interrupted by SIGTERM; nothing on stage staging was changed");
            }
            if (runs.isEmpty()) {
                // nothing queued: 1 once deploy has installed its handlers, the JVM's own 143 before (JVM start, parsing)
                assertThat(code).as(what).isIn(1, 143);
            } else {
                assertThat(code).as(what).isEqualTo(1); // the run failed and nothing was changed
            }
            assertThat(f.journal.lease("staging").filter(l -> !l.isFree())).as(what).isEmpty();
            assertThat(f.calls()).as(what).doesNotContain("1 build end");
        }
    }

    /** Spins rather than polls: the signal should land as close as it can after the queueing commits. */
    private static void awaitQueued(Journal journal) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (journal.runs(null, 1).isEmpty()) {
            assertThat(System.nanoTime()).as("a run queued within 30 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    private static RunView view(Journal journal, long run) {
        return RunView.of(journal.run(run).orElseThrow(), journal.events(run));
    }
}
