package dev.slipway.core.journal;

/**
 * Why a run exists: to deploy a commit, to put the previous release back ({@code slipway rollback}), or to restore a
 * database snapshot ({@code slipway snapshots restore}). Only deploys and rollbacks make releases.
 */
public enum RunKind {
    DEPLOY,
    ROLLBACK,
    RESTORE;

    public boolean makesRelease() {
        return this != RESTORE;
    }
}
