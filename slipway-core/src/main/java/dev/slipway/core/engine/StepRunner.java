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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/** Runs one step: journals its start, enforces its timeout, retries transient failures with backoff, journals the end. */
final class StepRunner {
    /** How often a wait looks at the clock: deadlines follow {@link #clock}, so a test's clock decides when they pass. */
    private static final long SLICE_MS = 50;
    private final Recorder recorder;
    private final ExecutorService pool;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Backoff retries;
    private final CancelToken cancel;
    private final Duration stopWait;
    private final Runnable onStuck;

    /**
     * @param stopWait how long a step gets to stop once interrupted; fits inside the lease so another process never takes
     *                 the stage over while a step of this one still acts
     * @param onStuck  what happens when a step did not stop within {@code stopWait} (the command line exits)
     */
    StepRunner(Recorder recorder, ExecutorService pool, Sleeper sleeper, Clock clock, Backoff retries, CancelToken cancel,
               Duration stopWait, Runnable onStuck) {
        this.cancel = cancel;
        this.stopWait = stopWait;
        this.onStuck = onStuck;
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
        return run(step, cancellable, timeout, null, contexts, call);
    }

    /**
     * As {@link #run(StepName, boolean, Duration, Contexts, Function)}, ending at {@code deadline} when it is given (a
     * wait that began before a resume, {@code timeout} after it began: it may have passed, and the step then fails at once
     * naming {@code timeout}), else {@code timeout} from now.
     */
    Outputs run(StepName step, boolean cancellable, Duration timeout, Instant deadline, Contexts contexts,
                Function<StepContext, Outputs> call) {
        if (stopped(cancellable)) { // even compensation does not start once another process may hold the stage
            throw cancel.exception();
        }
        Instant until = deadline != null ? deadline : clock.instant().plus(timeout);
        return runUntil(step, cancellable, timeout, until, contexts, call);
    }

    private Outputs runUntil(StepName step, boolean cancellable, Duration timeout, Instant deadline, Contexts contexts,
                             Function<StepContext, Outputs> call) {
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
                if (e.compensate()) { // a lost lease writes nothing more: the new holder owns the journal of this run
                    recorder.event(EventType.STEP_FAILED, step.id(), "reason", "cancelled: " + e.getMessage());
                }
                throw e;
            } catch (dev.slipway.core.journal.LeaseLostException e) {
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
        // Whoever claims first decides: the pool thread (the call runs and counts `done` down when it ends) or stop()
        // (the call never runs). A task cancelled before its thread picked it up never runs its body, so without the
        // claim stop() would wait the whole stop window for a `done` that never comes and call the step stuck.
        AtomicBoolean claimed = new AtomicBoolean();
        Future<Outputs> f = pool.submit(() -> {
            if (!claimed.compareAndSet(false, true)) {
                return null; // stopped before it began
            }
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
            stop(f, done, claimed);
            throw new StepTimeout(thrown.get()); // what the step said as it was stopped explains the timeout
        } catch (InterruptedException e) {
            stop(f, done, claimed);
            throw cancel.exception();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
        }
    }

    /**
     * Waits for the step until the deadline on {@link #clock}. An uncancellable one (compensation) ignores a signal's
     * interrupt until it ends or times out, but not a lost lease: then nothing more may be done on the stage.
     */
    private Outputs await(Future<Outputs> f, Instant deadline, boolean cancellable)
            throws InterruptedException, ExecutionException, TimeoutException {
        boolean told = false;
        while (true) {
            if (stopped(cancellable)) { // not only the interrupt says so: one that came before this wait was consumed
                throw new InterruptedException(cancel.exception().getMessage());
            }
            long leftMs = Duration.between(clock.instant(), deadline).toMillis();
            if (leftMs <= 0) {
                throw new TimeoutException();
            }
            try {
                return f.get(Math.min(leftMs, SLICE_MS), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // look at the clock again
            } catch (InterruptedException e) {
                if (cancellable || cancel.leaseLost()) {
                    throw e;
                }
                if (!told) {
                    recorder.log(null, "interrupt ignored while compensating; wait for it to finish");
                    told = true;
                }
            }
        }
    }

    /** Whether the run was told to stop in a way that stops this step: any cancel, or for compensation a lost lease. */
    private boolean stopped(boolean cancellable) {
        return cancellable ? cancel.cancelled() : cancel.leaseLost();
    }

    /**
     * Interrupts the step and waits until it has really stopped, so compensation (or another process) never races it.
     * A step that does not stop within the stop window is stuck: {@link #onStuck} decides (the command line exits).
     */
    private void stop(Future<Outputs> f, CountDownLatch done, AtomicBoolean claimed) {
        if (claimed.compareAndSet(false, true)) {
            f.cancel(false); // it had not begun and now never will: nothing to wait for
            return;
        }
        f.cancel(true);
        boolean interrupted = Thread.interrupted();
        try {
            if (!done.await(stopWait.toMillis(), TimeUnit.MILLISECONDS)) {
                recorder.log(null, "step did not stop within " + Durations.format(stopWait) + " of being interrupted");
                onStuck.run();
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
