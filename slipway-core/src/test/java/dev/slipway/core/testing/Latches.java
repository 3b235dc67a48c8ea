package dev.slipway.core.testing;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.TargetException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What scripted steps do instead of working for a while: block until told (a latch) or until stopped (an interrupt).
 * Every wait is bounded, so a broken engine fails a test instead of hanging it.
 */
public final class Latches {
    /** Longest a test waits for something it expects to happen soon. */
    public static final long BOUND_SECONDS = 10;

    private Latches() {
    }

    /** Blocks until the thread is interrupted, like a long step; then fails as a target does when it is stopped. */
    public static Outputs blockUntilInterrupted() {
        try {
            new CountDownLatch(1).await(); // never opens: only an interrupt ends this
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw TargetException.permanent("interrupted");
    }

    /** Waits for {@code latch}; an interrupt fails the step as a target would. */
    public static void await(CountDownLatch latch) {
        try {
            if (!latch.await(BOUND_SECONDS, TimeUnit.SECONDS)) {
                throw TargetException.permanent("latch not released within " + BOUND_SECONDS + "s (test bug or engine hang)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TargetException.permanent("interrupted");
        }
    }

    /** Waits for {@code latch} ignoring interrupts, like a step that does not stop when told; keeps the interrupt. */
    public static void awaitIgnoringInterrupts(CountDownLatch latch) {
        boolean interrupted = false;
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOUND_SECONDS);
        while (latch.getCount() > 0 && System.nanoTime() < until) {
            try {
                latch.await(until - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
