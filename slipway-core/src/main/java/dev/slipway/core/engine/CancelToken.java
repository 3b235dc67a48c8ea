package dev.slipway.core.engine;

/** Why the current run must stop, set from another thread (signal handler, lease heartbeat). */
final class CancelToken {
    private volatile String reason;
    private volatile boolean compensate = true;

    void cancel(String why, boolean thenCompensate) {
        if (reason == null) {
            reason = why;
            compensate = thenCompensate;
        }
    }

    boolean cancelled() {
        return reason != null;
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
