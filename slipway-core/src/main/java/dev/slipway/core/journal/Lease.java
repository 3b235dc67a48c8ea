package dev.slipway.core.journal;

import java.time.Instant;

/**
 * Who may run steps on a stage right now; valid until {@code expires} (on the store's clock) unless its holder
 * heartbeats. {@code epoch} grows with every acquisition: it is the fencing token a holder's writes carry.
 * A released lease keeps its row (and epoch) with an empty holder.
 */
public record Lease(String stage, String holder, long runId, Instant heartbeat, Instant expires, long epoch) {
    public boolean isFree() {
        return holder == null || holder.isEmpty();
    }

    public Fence fence() {
        return new Fence(stage, holder, epoch);
    }
}
