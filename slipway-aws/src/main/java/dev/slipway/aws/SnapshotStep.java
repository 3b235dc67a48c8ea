package dev.slipway.aws;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * {@code CreateDBSnapshot} of the stage's RDS instance, named and tagged with stage, commit and run, waited for until
 * available; then Slipway's own snapshots of the stage beyond {@code snapshots.keep} are deleted, oldest first.
 */
final class SnapshotStep {
    private final RdsClient rds;
    private final RdsSnapshots snapshots;
    private final Poller poller;

    SnapshotStep(RdsClient rds, RdsSnapshots snapshots, Poller poller) {
        this.rds = rds;
        this.snapshots = snapshots;
        this.poller = poller;
    }

    Outputs run(StepContext ctx) {
        if (snapshots.instance() == null) {
            ctx.log("no ecs.rds-instance configured for stage " + ctx.stage().name() + "; no database snapshot taken");
            return Outputs.of("snapshot", "none");
        }
        String id = RdsSnapshots.idFor(ctx.spec().app(), ctx.stage().name(), ctx.runKey(), ctx.commit());
        Optional<DBSnapshot> earlier = snapshots.find(id);
        if (earlier.isEmpty()) {
            AwsCalls.call("CreateDBSnapshot " + id + " of instance " + snapshots.instance(), () -> rds.createDBSnapshot(b -> b
                    .dbInstanceIdentifier(snapshots.instance()).dbSnapshotIdentifier(id).tags(RdsSnapshots.tags(ctx))));
            ctx.log("creating RDS snapshot " + id + " of instance " + snapshots.instance());
        } else {
            adopt(ctx, earlier.get());
        }
        DBSnapshot done = poller.until(ctx, () -> snapshots.find(id).orElse(null), s -> available(s, id),
                last -> TargetException.permanent("RDS snapshot " + id + " of instance " + snapshots.instance()
                        + " is not available before the snapshot timeout (status " + (last == null ? "unknown" : last.status())
                        + "); raise timeouts.snapshot or check the instance in the RDS console"));
        ctx.log("RDS snapshot " + id + " is available");
        prune(ctx, id);
        return Outputs.of("snapshot", id, "snapshotArn", String.valueOf(done.dbSnapshotArn()));
    }

    /** An earlier attempt of this run made the snapshot, unless it carries another key (then it is not ours). */
    private static void adopt(StepContext ctx, DBSnapshot earlier) {
        String key = RdsSnapshots.tagsOf(earlier).get(RdsSnapshots.TAG_RUN_KEY);
        if (!ctx.runKey().equals(key)) {
            throw TargetException.permanent("RDS snapshot " + earlier.dbSnapshotIdentifier() + " exists but carries run key "
                    + key + ", not this run's " + ctx.runKey() + ": Slipway does not take it for this run's. Rename or "
                    + "delete it in the RDS console and deploy again");
        }
        ctx.log("RDS snapshot " + earlier.dbSnapshotIdentifier() + " exists with this run's key (an earlier attempt of "
                + "this run made it)");
    }

    private static boolean available(DBSnapshot s, String id) {
        if (s == null) {
            return false;
        }
        if ("failed".equals(s.status()) || "deleted".equals(s.status())) {
            throw TargetException.permanent("RDS snapshot " + id + " ended in status " + s.status()
                    + "; see the instance's events in the RDS console");
        }
        return "available".equals(s.status());
    }

    private void prune(StepContext ctx, String current) {
        int keep = ctx.stage().snapshots().keep();
        List<DBSnapshot> all = snapshots.ofStage(ctx.spec().app(), ctx.stage().name());
        all.stream().skip(keep).filter(s -> !s.dbSnapshotIdentifier().equals(current)).forEach(s -> {
            AwsCalls.call("DeleteDBSnapshot " + s.dbSnapshotIdentifier(),
                    () -> rds.deleteDBSnapshot(b -> b.dbSnapshotIdentifier(s.dbSnapshotIdentifier())));
            ctx.log("deleted old RDS snapshot " + s.dbSnapshotIdentifier() + " (snapshots.keep is " + keep + ")");
        });
    }
}
