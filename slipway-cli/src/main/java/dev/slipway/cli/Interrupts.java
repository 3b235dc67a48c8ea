package dev.slipway.cli;

import dev.slipway.core.ErrorCode;
import java.io.PrintWriter;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import sun.misc.Signal;

/**
 * What SIGINT and SIGTERM do while a command requests and drives a run. Install it before anything can be queued:
 * until {@link #cancelThrough} the process ends at once with exit 1, since no run exists that could be left
 * unfinished; from then on a signal cancels the run instead, which fails it ("nothing was changed") if it has not
 * started and compensates it if it has. The lock makes "queued" and "ended at once" exclude each other.
 */
final class Interrupts {
    private final PrintWriter err;
    private final IntConsumer exit;
    private Consumer<String> cancel; // guarded by this; null until a run may be queued

    Interrupts(PrintWriter err, IntConsumer exit) {
        this.err = err;
        this.exit = exit;
    }

    /** Handles SIGINT and SIGTERM in this process from now on. */
    static Interrupts install(PrintWriter err) {
        Interrupts interrupts = new Interrupts(err, System::exit);
        for (String name : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(name), s -> interrupts.signalled("SIG" + name));
        }
        return interrupts;
    }

    /** From now on a signal is passed to {@code cancel} (an engine's) with its reason. Call before queueing a run. */
    synchronized void cancelThrough(Consumer<String> cancel) {
        this.cancel = cancel;
    }

    void signalled(String signal) {
        Consumer<String> to;
        synchronized (this) {
            if (cancel == null) {
                err.println("slipway: interrupted by " + signal + " before a run was queued; nothing was changed");
                // exits while holding the lock, so the run cannot be queued after all
                exit.accept(ErrorCode.RUN_FAILED.exitCode());
                return;
            }
            to = cancel;
        }
        to.accept("interrupted by " + signal);
    }
}
