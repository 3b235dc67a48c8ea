package dev.slipway.core.journal;

import java.time.Instant;

/** Who may run steps on a stage right now; valid until {@code expires} unless its holder heartbeats. */
public record Lease(String stage, String holder, long runId, Instant heartbeat, Instant expires) {
}
