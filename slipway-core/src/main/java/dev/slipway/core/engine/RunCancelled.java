package dev.slipway.core.engine;

/** The run was stopped from outside: a signal (compensate), or a lost lease (stop touching the stage at once). */
final class RunCancelled extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean compensate;

    RunCancelled(String reason, boolean compensate) {
        super(reason);
        this.compensate = compensate;
    }

    boolean compensate() {
        return compensate;
    }
}
