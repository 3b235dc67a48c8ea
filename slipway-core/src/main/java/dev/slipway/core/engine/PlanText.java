package dev.slipway.core.engine;

import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.StepContext.Release;
import java.util.List;
import java.util.Optional;

/** The target-independent part of {@code slipway plan}: the steps a deploy would take and what a failure would do. */
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
                "4. deploy the new image; 5. verify " + spec.health().path() + " on port " + spec.health().port()
                        + " within " + Durations.format(spec.health().timeout()),
                "on failure after step 2: bring back " + live.map(Release::commit).orElse("nothing (first deploy)")
                        + (st.snapshots().restoreOnFailure() ? " and restore the snapshot" : "; the snapshot is kept, not restored"));
    }
}
