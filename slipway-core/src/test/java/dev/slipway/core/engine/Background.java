package dev.slipway.core.engine;

import dev.slipway.core.testing.Latches;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Work (usually {@code engine.run}) on a thread of its own, as another process's main thread would be: the test can see
 * whether that thread is blocked, and nothing else ever runs on it (an engine interrupts the thread it was driven by).
 */
final class Background<T> {
    private final Thread thread;
    private final CompletableFuture<T> result = new CompletableFuture<>();

    private Background(String name, Supplier<T> work) {
        this.thread = new Thread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, name);
        thread.setDaemon(true);
    }

    static <T> Background<T> start(String name, Supplier<T> work) {
        Background<T> b = new Background<>(name, work);
        b.thread.start();
        return b;
    }

    /** The result, waiting a bounded time for it. */
    T get() throws ExecutionException, InterruptedException, TimeoutException {
        return result.get(Latches.BOUND_SECONDS, TimeUnit.SECONDS);
    }

    CompletableFuture<T> result() {
        return result;
    }

    /** Whether the work is parked indefinitely (waiting for another thread, without a timeout) or over. */
    boolean parkedOrDone() {
        Thread.State s = thread.getState();
        return s == Thread.State.WAITING || s == Thread.State.TERMINATED;
    }
}
