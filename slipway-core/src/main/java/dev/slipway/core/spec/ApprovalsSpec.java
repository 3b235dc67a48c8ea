package dev.slipway.core.spec;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The approval gate a run passes after its image is built and before anything on the stage changes.
 *
 * @param required      distinct approvals needed; 0 means no gate
 * @param approvers     who may approve; empty means anyone but the requester. In GitHub Actions, where the reviews of
 *                      the stage's environment are the approvals, {@code alice} and {@code github:alice} both name the
 *                      GitHub login alice (compared without case)
 * @param allowSelfApproval whether the person who requested the run may approve it (default false)
 * @param timeout       how long the run waits before it fails, changing nothing
 */
public record ApprovalsSpec(int required, List<String> approvers, boolean allowSelfApproval, Duration timeout) {
    static final Set<String> KEYS = Set.of("required", "approvers", "allow-self-approval", "timeout");
    public static final ApprovalsSpec NONE = new ApprovalsSpec(0, List.of(), false, Duration.ofHours(24));
    /** The longest a run may wait for approval: 30 days. */
    static final Duration MAX_TIMEOUT = Duration.ofDays(30);

    public ApprovalsSpec {
        approvers = List.copyOf(approvers);
    }

    public boolean gated() {
        return required > 0;
    }

    static ApprovalsSpec read(Node n, boolean productionLike) {
        if (!n.present()) {
            if (productionLike) {
                n.problem("is required for a production stage (approvals.required must be at least 1)");
            }
            return NONE;
        }
        n.mapping(KEYS);
        int required = n.integer("required", productionLike ? 1 : 0, productionLike ? 1 : 0, 10);
        List<String> approvers = n.stringList("approvers", false);
        if (required > 0 && !approvers.isEmpty() && approvers.size() < required) {
            n.get("approvers").problem("lists " + approvers.size() + " approver(s) but " + required + " are required");
        }
        return new ApprovalsSpec(required, approvers, n.bool("allow-self-approval", false),
                n.duration("timeout", Duration.ofHours(24), TimeoutsSpec.MIN_STEP, MAX_TIMEOUT));
    }
}
