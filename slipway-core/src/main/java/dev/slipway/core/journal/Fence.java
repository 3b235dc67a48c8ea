package dev.slipway.core.journal;

/**
 * Proof of holding a stage's lease: the holder and the epoch it acquired. A journal write that carries a fence whose
 * epoch has moved on (another process took the stage over) is refused with {@link LeaseLostException}.
 */
public record Fence(String stage, String holder, long epoch) {
}
