package dev.slipway.core.target;

import java.time.Instant;

/**
 * A database snapshot Slipway took, as {@code slipway snapshots list} shows it.
 *
 * @param id        what {@code slipway snapshots restore STAGE ID} accepts
 * @param stage     the stage whose database it holds
 * @param runId     the run that took it (0 if unknown)
 * @param commit    the commit that run deployed
 * @param createdAt when it was taken
 * @param sizeBytes its size, or -1 where the target cannot tell
 * @param detail    anything else worth showing (checksum, status, ARN)
 */
public record SnapshotInfo(String id, String stage, long runId, String commit, Instant createdAt, long sizeBytes, String detail) {
}
