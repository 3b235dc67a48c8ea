package dev.slipway.core.engine;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.TargetException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** Runs one step: journals its start, enforces its timeout, retries transient failures with backoff, journals the end. */
final class StepRunner {
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    private final Recorder recorder;
    private final ExecutorService pool;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Backoff retries;
    private final CancelToken cancel;

    StepRunner(Recorder recorder, ExecutorService pool, Sleeper sleeper, Clock clock, Backoff retries, CancelToken cancel) {
        this.cancel = cancel;
        this.recorder = recorder;
        this.pool = pool;
        this.sleeper = sleeper;
        this.clock = clock;
        this.retries = retries;
    }

    /**
     * Runs {@code call} until it succeeds, fails permanently, runs out of attempts or passes {@code timeout}.
     * Throws {@link StepFailure} on failure and {@link RunCancelled} when the calling thread is interrupted.
     */
    Outputs run(StepName step, boolean cancellable, Duration timeout, Contexts contexts,
                Function<StepContext, Outputs> call) {
        if (cancellable) {
            cancel.checkpoint();
        }
        Instant deadline = clock.instant().plus(timeout);
        recorder.event(EventType.STEP_STARTED, step.id());
        for (int attempt = 1; ; attempt++) {
            StepContext ctx = contexts.create(step, attempt, deadline);
            try {
                Outputs out = attempt(ctx, call, deadline, cancellable);
                recorder.event(EventType.STEP_SUCCEEDED, step.id(), out.values());
                return out;
            } catch (TargetException e) {
                String reason = recorder.masker().mask(e.getMessage());
                Duration delay = retries.delayAfter(attempt);
                boolean retry = e.isTransient() && attempt < retries.maxAttempts()
                        && clock.instant().plus(delay).isBefore(deadline);
                if (!retry) {
                    String why = e.isTransient() ? reason + " (gave up after " + attempt + " attempt(s))" : reason;
                    recorder.event(EventType.STEP_FAILED, step.id(), "reason", why, "attempts", String.valueOf(attempt));
                    throw new StepFailure(step, why, e);
                }
                recorder.event(EventType.STEP_RETRYING, step.id(), "reason", reason, "attempt", String.valueOf(attempt),
                        "delayMs", String.valueOf(delay.toMillis()));
                pause(delay);
            } catch (StepTimeout e) {
                String why = step.id() + " did not finish within " + Durations.format(timeout)
                        + (e.last == null || e.last.getMessage() == null ? "" : ": " + recorder.masker().mask(e.last.getMessage()));
                recorder.event(EventType.STEP_FAILED, step.id(), "reason", why, "attempts", String.valueOf(attempt));
                throw new StepFailure(step, why, e);
            } catch (RunCancelled e) {
                recorder.event(EventType.STEP_FAILED, step.id(), "reason", "cancelled: " + e.getMessage());
                throw e;
            } catch (RuntimeException e) {
                String why = recorder.masker().mask(describe(e));
                recorder.event(EventType.STEP_FAILED, step.id(), "reason", why, "attempts", String.valueOf(attempt));
                throw new StepFailure(step, why, e);
            }
        }
    }

    /** Makes the context of one attempt of a step. */
    @FunctionalInterface
    interface Contexts {
        StepContext create(StepName step, int attempt, Instant deadline);
    }

    private Outputs attempt(StepContext ctx, Function<StepContext, Outputs> call, Instant deadline, boolean cancellable) {
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<TargetException> thrown = new AtomicReference<>();
        Future<Outputs> f = pool.submit(() -> {
            try {
                return call.apply(ctx);
            } catch (TargetException e) {
                thrown.set(e); // what the target said as it was stopped
                throw e;
            } finally {
                done.countDown();
            }
        });
        try {
            Outputs out = await(f, deadline, cancellable);
            return out == null ? Outputs.NONE : out;
        } catch (TimeoutException e) {
            stop(f, done);
            throw new StepTimeout(thrown.get()); // what the step said as it was stopped explains the timeout
        } catch (InterruptedException e) {
            stop(f, done);
            throw cancel.exception();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        }
    }

    /** Waits for the step; an uncancellable one (compensation) ignores interrupts until it ends or times out. */
    private Outputs await(Future<Outputs> f, Instant deadline, boolean cancellable)
            throws InterruptedException, ExecutionException, TimeoutException {
        while (true) {
            long waitMs = Math.max(1, Duration.between(clock.instant(), deadline).toMillis());
            try {
                return f.get(waitMs, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                if (cancellable) {
                    throw e;
                }
                recorder.log(null, "interrupt ignored while " + "compensating; wait for it to finish");
            }
        }
    }

    /** Interrupts the step and waits (bounded) until it has really stopped, so compensation never races it. */
    private void stop(Future<Outputs> f, CountDownLatch done) {
        f.cancel(true);
        boolean interrupted = Thread.interrupted();
        try {
            if (!done.await(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                recorder.log(null, "step did not stop within " + Durations.format(STOP_WAIT) + " of being interrupted");
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void pause(Duration delay) {
        try {
            sleeper.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw cancel.exception();
        }
    }

    private static String describe(RuntimeException e) {
        if (e instanceof dev.slipway.core.SlipwayException || e.getMessage() != null && e instanceof IllegalStateException) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static final class StepTimeout extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient RuntimeException last;

        StepTimeout(RuntimeException last) {
            this.last = last;
        }
    }
}
