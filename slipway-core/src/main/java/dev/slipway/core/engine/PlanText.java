package dev.slipway.core.engine;

import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.StepContext.Release;
import java.util.List;
import java.util.Optional;

/**
 * The target-independent part of {@code slipway plan}: the order of the steps and the failure policy. What each step
 * checks or brings back differs per target (an ecs service ran a revision before Slipway's first deploy; only the
 * local target probes health.path), so those details are the target's plan lines.
 */
final class PlanText {
    private PlanText() {
    }

    static List<String> of(SlipwaySpec spec, StageSpec st, String commit, Optional<Release> live) {
        return List.of(
                "stage " + st.name() + " (target " + st.target() + ", " + st.replicas() + " replica(s)); live now: "
                        + live.map(r -> r.commit() + " from run " + r.runId()).orElse("nothing deployed by Slipway yet"),
                st.approvals().gated()
                        ? "1. build " + commit + ", then wait for " + st.approvals().required()
                        + " approval(s) of its digest, then snapshot the database"
                        : "1. build " + commit + " and snapshot the database, in parallel",
                "2. stop the old instances" + (spec.migrations().enabled()
                        ? "; 3. migrate with " + String.join(" ", spec.migrations().command()) + " from the new image"
                        : "; 3. (no migrations configured)"),
                "4. deploy the new image; 5. verify it within " + Durations.format(spec.health().timeout())
                        + " (health.timeout; the target's checks are listed below)",
                "on failure after step 2: bring back what ran before" + live.map(r -> " (" + r.commit() + ")").orElse("")
                        + ", as the target's last line says"
                        + (st.snapshots().restoreOnFailure() ? " and restore the snapshot" : "; the snapshot is kept, not restored"));
    }
}
