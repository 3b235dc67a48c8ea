package dev.slipway.core.engine;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs two steps at once (build ∥ snapshot) and returns only when both have really ended, journal writes included:
 * when one fails or the run is cancelled, the other is interrupted and waited for, so nothing of this run still acts
 * after its failure is journaled or its lease released.
 */
final class BothSteps implements RunExecution.Parallel {
    private final ExecutorService pool;
    private final boolean enabled;
    private final CancelToken cancel;
    private final Duration stopWait;

    BothSteps(ExecutorService pool, boolean enabled, CancelToken cancel, Duration stopWait) {
        this.pool = pool;
        this.enabled = enabled;
        this.cancel = cancel;
        this.stopWait = stopWait;
    }

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public void both(Runnable a, Runnable b) {
        if (!enabled) {
            a.run();
            b.run();
            return;
        }
        CountDownLatch ended = new CountDownLatch(2);
        Body ba = new Body(a, ended);
        Body bb = new Body(b, ended);
        Future<?> fa = pool.submit(ba);
        Future<?> fb = pool.submit(bb);
        RuntimeException failure;
        try {
            failure = outcome(fa, bb);
            RuntimeException second = outcome(fb, ba);
            failure = failure != null ? failure : second;
        } catch (InterruptedException e) {
            ba.stop();
            bb.stop();
            awaitEnd(ended);
            throw cancel.exception();
        }
        awaitEnd(ended);
        if (failure != null) {
            throw failure;
        }
    }

    /** The failure of {@code f}, if any; a failure stops {@code other} (its STEP_FAILED says it was cancelled). */
    private static RuntimeException outcome(Future<?> f, Body other) throws InterruptedException {
        try {
            f.get();
            return null;
        } catch (ExecutionException e) {
            other.stop();
            return e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    /** One step's body; {@link #stop} interrupts it, or keeps it from starting, and either way it counts as ended. */
    private static final class Body implements Runnable {
        private final Runnable step;
        private final CountDownLatch ended;
        private Thread thread;
        private boolean stopped;

        Body(Runnable step, CountDownLatch ended) {
            this.step = step;
            this.ended = ended;
        }

        @Override
        public void run() {
            try {
                synchronized (this) {
                    if (stopped) {
                        return;
                    }
                    thread = Thread.currentThread();
                }
                step.run();
            } finally {
                synchronized (this) {
                    thread = null;
                }
                ended.countDown();
            }
        }

        synchronized void stop() {
            stopped = true;
            if (thread != null) {
                thread.interrupt();
            }
        }
    }

    /** Waits, ignoring further interrupts, until both bodies have ended (each stops its target call within stopWait). */
    private void awaitEnd(CountDownLatch ended) {
        boolean interrupted = false;
        long until = System.nanoTime() + stopWait.multipliedBy(2).toNanos();
        while (ended.getCount() > 0 && System.nanoTime() < until) {
            try {
                ended.await(until - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
