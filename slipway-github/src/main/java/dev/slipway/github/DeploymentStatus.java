package dev.slipway.github;

import dev.slipway.core.journal.JournalEvent;

/** Which GitHub deployment status a journal event becomes, if any. */
final class DeploymentStatus {
    private static final int MAX_DESCRIPTION = 140;

    /** A status to post: GitHub's state and a short description. */
    record Update(String state, String description) {
    }

    private DeploymentStatus() {
    }

    /** Null when the event changes nothing GitHub shows. */
    static Update of(JournalEvent e) {
        return switch (e.type()) {
            case RUN_QUEUED -> update("queued", "queued");
            case RUN_STARTED -> update("in_progress", "started");
            case RUN_RESUMED -> update("in_progress", "resumed");
            case STEP_STARTED -> update("in_progress", e.step() + " running");
            case APPROVAL_REQUESTED -> update("in_progress", "waiting for approval");
            case COMPENSATION_STARTED -> update("in_progress", "rolling back: " + orNone(e.get("reason")));
            case RUN_SUCCEEDED -> update("success", "deployed");
            case RUN_FAILED -> update("failure", "failed: " + orNone(e.get("reason")));
            case ROLLED_BACK -> update("failure", "rolled back: " + orNone(e.get("reason")));
            case COMPENSATION_FAILED -> update("error", "rollback failed, needs a person: " + orNone(e.get("reason")));
            case RUN_SUPERSEDED -> update("inactive", "superseded by run " + orNone(e.get("by")));
            default -> null;
        };
    }

    private static Update update(String state, String description) {
        return new Update(state, clip(description));
    }

    static String clip(String text) {
        return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION - 1) + "…";
    }

    private static String orNone(String s) {
        return s == null ? "no reason given" : s;
    }
}
