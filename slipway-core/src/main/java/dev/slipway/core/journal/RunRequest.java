package dev.slipway.core.journal;

import java.time.Instant;

/**
 * What a requester asks for; the journal gives it an id and a key ({@link RunRecord}).
 *
 * @param image        an image reference with digest to deploy without building, or null
 * @param origin       the requester's git directory, or null
 * @param tree         the git tree id of {@code commit}, or null when unknown; promotion matches runs by it
 * @param promotedFrom the run of another stage whose verified image {@code image} is (promotion), or null
 * @param committedAt  the commit's committer time, journaled on {@code RUN_QUEUED} for the DORA lead time; null when
 *                     unknown
 */
public record RunRequest(String app, String stage, String commit, RunKind kind, String requestedBy, String image, String origin,
                         String tree, Long promotedFrom, Instant committedAt) {
    public RunRequest(String app, String stage, String commit, RunKind kind, String requestedBy) {
        this(app, stage, commit, kind, requestedBy, null, null, null, null, null);
    }

    public RunRequest(String app, String stage, String commit, RunKind kind, String requestedBy, String image, String origin) {
        this(app, stage, commit, kind, requestedBy, image, origin, null, null, null);
    }

    /** This request with the commit's tree id. */
    public RunRequest withTree(String treeId) {
        return new RunRequest(app, stage, commit, kind, requestedBy, image, origin, treeId, promotedFrom, committedAt);
    }

    /** This request deploying {@code imageRef}, the verified image of run {@code run} of another stage. */
    public RunRequest promoted(String imageRef, long run) {
        return new RunRequest(app, stage, commit, kind, requestedBy, imageRef, origin, tree, run, committedAt);
    }

    /** This request with the commit's committer time (for the DORA lead time). */
    public RunRequest withCommittedAt(Instant time) {
        return new RunRequest(app, stage, commit, kind, requestedBy, image, origin, tree, promotedFrom, time);
    }
}
