package dev.slipway.core.journal;

import java.time.Instant;

/** A line of a run's log (a step's output, a wait's progress), already masked. */
public record LogLine(long runId, int seq, Instant at, String step, String line) {
}
