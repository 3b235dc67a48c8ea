package dev.slipway.core.engine;

import dev.slipway.core.migrations.MigrationClass;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.spec.Strategy;
import dev.slipway.core.target.StepContext.Release;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The target-independent part of {@code slipway plan}: how the pending migrations classify, the order of the steps
 * that follows, and the failure policy. What each step checks or brings back differs per target (an ecs service ran a
 * revision before Slipway's first deploy; only the local target probes health.path), so those details are the
 * target's plan lines.
 */
final class PlanText {
    private PlanText() {
    }

    /**
     * @param assessed the classification and strategy a deploy would journal in its classify step, or why plan could
     *                 not tell (the deploy itself would then fail in that step, before changing anything)
     * @param promoted what a stage with promote-from deploys instead of a build (or that it would refuse), else null
     */
    static List<String> of(SlipwaySpec spec, StageSpec st, String commit, Optional<Release> live, Assessment assessed,
                           String unassessed, String promoted, Optional<String> preflightUnsupported) {
        List<String> lines = new ArrayList<>();
        lines.add("stage " + st.name() + " (target " + st.target() + ", " + st.replicas() + " replica(s)); live now: "
                + live.map(r -> r.commit() + " from run " + r.runId()).orElse("nothing deployed by Slipway yet"));
        String image = promoted != null ? promoted : "build " + commit;
        lines.add(st.approvals().gated()
                ? "1. " + image + ", then wait for " + st.approvals().required()
                + " approval(s) of its digest, then snapshot the database"
                : "1. " + image + " and snapshot the database, in parallel");
        if (assessed == null) {
            lines.add("2. classify the pending migrations: " + unassessed + " (a deploy would fail here, before changing anything)");
            return lines;
        }
        lines.add("2. classify: " + assessed.why());
        assessed.reasons().stream().limit(Assessment.SHOWN).forEach(r -> lines.add("   breaking: " + r));
        if (assessed.reasons().size() > Assessment.SHOWN) {
            lines.add("   … and " + (assessed.reasons().size() - Assessment.SHOWN) + " more");
        }
        assessed.pending().stream().limit(Assessment.SHOWN).forEach(f -> lines.add("   pending: " + f));
        lines.add(preflightLine(st, assessed, preflightUnsupported));
        String migrate = spec.migrations().enabled()
                ? "migrate with " + String.join(" ", spec.migrations().command()) + " from the new image"
                : "(no migrations configured)";
        String verify = "verify it within " + Durations.format(spec.health().timeout())
                + " (health.timeout; the target's checks are listed below)";
        String restore = st.snapshots().restoreOnFailure() ? " and restore the snapshot" : "; the snapshot is kept, not restored";
        if (assessed.strategy() == Strategy.ONLINE) {
            lines.add("4. " + migrate + " while the old release serves; 5. deploy the new image beside it; 6. " + verify);
            lines.add("7. stop the old instances once the new release is verified (a failure here leaves the new release"
                    + " serving and the run succeeds with a warning)");
            lines.add("on failure in steps 4-6: remove the new release; the old one" + live.map(r -> " (" + r.commit() + ")").orElse("")
                    + " keeps serving" + (spec.migrations().enabled() ? ", and the database keeps what the migrations added" : "")
                    + (st.snapshots().restoreOnFailure() ? " unless the snapshot is restored" : "") + ", as the target's last line says");
        } else {
            lines.add("4. stop the old instances; 5. " + migrate);
            lines.add("6. deploy the new image; 7. " + verify);
            lines.add("on failure after step 4: bring back what ran before" + live.map(r -> " (" + r.commit() + ")").orElse("")
                    + ", as the target's last line says" + restore);
        }
        return lines;
    }

    private static String preflightLine(StageSpec st, Assessment assessed, Optional<String> unsupported) {
        if (assessed.cls() == MigrationClass.NONE) {
            return "3. no preflight (no pending migrations)";
        }
        if (Boolean.FALSE.equals(st.preflight())) {
            return "3. no preflight (disabled: stages." + st.name() + ".preflight: false); a failing migration fails"
                    + " after the old release stopped, and is compensated";
        }
        if (unsupported.isPresent()) {
            return "3. no preflight: " + unsupported.get()
                    + (Boolean.TRUE.equals(st.preflight()) ? " (preflight: true changes nothing here)" : "");
        }
        return "3. preflight on a scratch copy of the snapshot: the migrations run there before anything stops, a failing"
                + " one fails the deploy with nothing changed, and a schema diff that drops or alters makes it stop-first";
    }
}
