package dev.slipway.core.journal;

import java.time.Instant;

/** A run request as it was made; never changes after it is journaled. */
public record RunRecord(long id, String app, String stage, String commit, RunKind kind, String requestedBy,
                        Instant requestedAt) {
}
