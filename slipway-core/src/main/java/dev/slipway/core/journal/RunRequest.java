package dev.slipway.core.journal;

import java.time.Instant;

/**
 * What a requester asks for; the journal gives it an id and a key ({@link RunRecord}).
 *
 * @param image  an image reference with digest to deploy without building, or null
 * @param origin the requester's git directory, or null
 * @param committedAt the commit's committer time, journaled on {@code RUN_QUEUED} for the DORA lead time; null when
 *                    unknown
 */
public record RunRequest(String app, String stage, String commit, RunKind kind, String requestedBy, String image, String origin,
                         Instant committedAt) {
    public RunRequest(String app, String stage, String commit, RunKind kind, String requestedBy) {
        this(app, stage, commit, kind, requestedBy, null, null, null);
    }

    public RunRequest(String app, String stage, String commit, RunKind kind, String requestedBy, String image, String origin) {
        this(app, stage, commit, kind, requestedBy, image, origin, null);
    }
}
