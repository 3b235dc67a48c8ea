package dev.slipway.core.engine;

/**
 * Why the current run must stop, set from another thread: a signal (stop, then compensate), or a lost lease (stop
 * touching the stage at once, compensation included; whoever holds the lease now continues the run).
 */
final class CancelToken {
    private volatile String reason;
    private volatile boolean compensate = true;

    synchronized void cancel(String why, boolean thenCompensate) {
        if (reason == null) {
            compensate = thenCompensate;
            reason = why;
        } else if (!thenCompensate && compensate) {
            // losing the lease overrides a signal: nothing more may be done on the stage, and that is what to say
            compensate = false;
            reason = why;
        }
    }

    boolean cancelled() {
        return reason != null;
    }

    /** True once the lease is lost: even compensation must stop. */
    boolean leaseLost() {
        return reason != null && !compensate;
    }

    RunCancelled exception() {
        return new RunCancelled(reason == null ? "interrupted" : reason, compensate);
    }

    void checkpoint() {
        if (reason != null) {
            throw exception();
        }
    }
}
