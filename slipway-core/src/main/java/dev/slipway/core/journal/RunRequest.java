package dev.slipway.core.journal;

/**
 * What a requester asks for; the journal gives it an id and a key ({@link RunRecord}).
 *
 * @param image  an image reference with digest to deploy without building, or null
 * @param origin the requester's git directory, or null
 */
public record RunRequest(String app, String stage, String commit, RunKind kind, String requestedBy, String image, String origin) {
    public RunRequest(String app, String stage, String commit, RunKind kind, String requestedBy) {
        this(app, stage, commit, kind, requestedBy, null, null);
    }
}
