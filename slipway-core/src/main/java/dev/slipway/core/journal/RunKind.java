package dev.slipway.core.journal;

/** Why a run exists: to deploy a commit, or to put the previous release back ({@code slipway rollback}). */
public enum RunKind {
    DEPLOY,
    ROLLBACK
}
