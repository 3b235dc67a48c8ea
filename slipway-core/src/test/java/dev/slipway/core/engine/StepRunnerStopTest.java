package dev.slipway.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.journal.Fence;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepName;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping a step whose call has not begun yet. On a loaded machine a step can be interrupted (SIGTERM, or the other
 * step of build ∥ snapshot failing) after it handed its call to the pool but before a pool thread picked it up. Such
 * a call never runs, so there is nothing to wait for: the step must end as cancelled at once, not be called stuck
 * after its stop window (which makes the command line exit 3 and leaves the run RUNNING).
 */
class StepRunnerStopTest {
    @TempDir
    Path dir;
    private final ThreadPoolExecutor pool = (ThreadPoolExecutor) Executors.newFixedThreadPool(1);
    private final ExecutorService caller = Executors.newSingleThreadExecutor();

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        caller.shutdownNow();
    }

    @Test
    void interrupted_beforeThePoolStartedItsCall_endsCancelledAtOnceNeverCallsItStuckAndNeverRunsTheCall() throws Exception {
        Journal journal = Journals.open(Journals.defaultUrl(dir), null, null);
        RunRecord run = journal.enqueue("app", "staging", "c1", RunKind.DEPLOY, "test", Instant.now());
        Fence fence = journal.tryAcquire("staging", "test", run.id(), Duration.ofMinutes(1), l -> false).orElseThrow();
        CancelToken cancel = new CancelToken();
        Recorder recorder = new Recorder(journal, fence, run.id(), Clock.systemUTC(), new Masker(), RunListener.NONE, cancel);
        AtomicBoolean stuck = new AtomicBoolean();
        StepRunner steps = new StepRunner(recorder, pool, d -> { }, Clock.systemUTC(), Backoff.RETRIES, cancel,
                Duration.ofSeconds(5), () -> stuck.set(true));
        CountDownLatch release = new CountDownLatch(1);
        pool.submit(() -> { // the pool's only thread is busy, so the step's call waits in the queue
            release.await();
            return null;
        });
        AtomicBoolean called = new AtomicBoolean();
        AtomicReference<Thread> stepThread = new AtomicReference<>();
        var result = caller.submit(() -> {
            stepThread.set(Thread.currentThread());
            return steps.run(StepName.SNAPSHOT, true, Duration.ofMinutes(1), (s, a, d) -> null, ctx -> {
                called.set(true);
                return Outputs.NONE;
            });
        });
        while (pool.getQueue().isEmpty()) { // the call is handed over and waits for the busy thread
            Thread.onSpinWait();
        }

        cancel.cancel("interrupted by SIGTERM", true);
        stepThread.get().interrupt();
        long start = System.nanoTime();
        Throwable thrown = null;
        try {
            result.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            thrown = e.getCause();
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        release.countDown();
        pool.shutdown();
        assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(thrown).isInstanceOf(RunCancelled.class);
        assertThat(stuck).as("the step was not called stuck").isFalse();
        assertThat(tookMs).as("ended without waiting out the 5 s stop window").isLessThan(5000);
        assertThat(called).as("a call stopped before it began never runs").isFalse();
    }
}
