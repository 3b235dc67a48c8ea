package dev.slipway.core.journal;

import java.time.Instant;

/**
 * A run request as it was made; never changes after it is journaled.
 *
 * @param id          the run's number in this journal (what people type: {@code slipway logs 12})
 * @param key         the run's identity, unique across journals and machines ({@link RunKeys}); every container,
 *                    snapshot, task and tag the run makes carries it
 * @param image       an image reference with digest to deploy instead of building ({@code deploy --image}), or null
 * @param origin      where the requester's git objects are ({@code git --git-dir}), so that whichever process drives
 *                    the run builds the requested commit from them; null when unknown
 * @param tree         the git tree id of {@code commit}, or null when the requester could not tell
 * @param promotedFrom the run of another stage whose verified image this run deploys ({@code promote-from}), or null
 */
public record RunRecord(long id, String key, String app, String stage, String commit, RunKind kind, String requestedBy,
                        Instant requestedAt, String image, String origin, String tree, Long promotedFrom) {
    public RunRecord {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a run needs a key (bug)");
        }
    }

    public RunRecord(long id, String key, String app, String stage, String commit, RunKind kind, String requestedBy,
                     Instant requestedAt, String image, String origin) {
        this(id, key, app, stage, commit, kind, requestedBy, requestedAt, image, origin, null, null);
    }

    /** A request with a fresh key, no image and no origin (tests, maintenance contexts). */
    public RunRecord(long id, String app, String stage, String commit, RunKind kind, String requestedBy, Instant requestedAt) {
        this(id, RunKeys.next(), app, stage, commit, kind, requestedBy, requestedAt, null, null);
    }
}
