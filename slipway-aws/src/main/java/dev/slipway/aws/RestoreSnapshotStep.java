package dev.slipway.aws;

import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.VpcSecurityGroupMembership;

/**
 * Restores one of Slipway's snapshots into a NEW instance beside the stage's (RDS cannot restore in place), in the
 * same subnet group, security groups and class, waits until it is available and says how to point the stage at it.
 */
final class RestoreSnapshotStep {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(ZoneOffset.UTC);
    private final RdsClient rds;
    private final RdsSnapshots snapshots;
    private final Poller poller;

    RestoreSnapshotStep(RdsClient rds, RdsSnapshots snapshots, Poller poller) {
        this.rds = rds;
        this.snapshots = snapshots;
        this.poller = poller;
    }

    /** Returns the new instance's identifier. */
    String run(StepContext ctx, String id) {
        if (snapshots.instance() == null) {
            throw TargetException.permanent("stage " + ctx.stage().name() + " has no ecs.rds-instance; nothing to restore");
        }
        DBSnapshot snap = snapshots.find(id).orElseThrow(() -> TargetException.permanent("no RDS snapshot " + id
                + "; `slipway snapshots list " + ctx.stage().name() + "` shows the ones Slipway took"));
        if (!ctx.stage().name().equals(RdsSnapshots.tagsOf(snap).get(RdsSnapshots.TAG_STAGE))) {
            throw TargetException.permanent("RDS snapshot " + id + " was not taken by Slipway for stage "
                    + ctx.stage().name() + "; restore it with the AWS console or CLI if you really mean it");
        }
        DBInstance original = describe(snapshots.instance());
        String target = newIdentifier(snapshots.instance(), ctx);
        AwsCalls.call("RestoreDBInstanceFromDBSnapshot " + id + " into " + target, () -> rds.restoreDBInstanceFromDBSnapshot(b -> {
            b.dbInstanceIdentifier(target).dbSnapshotIdentifier(id)
                    .tags(t -> t.key("slipway:restored-from").value(id), t -> t.key(RdsSnapshots.TAG_STAGE).value(ctx.stage().name()),
                            t -> t.key(RunTags.RUN_KEY).value(ctx.runKey()));
            if (original.dbInstanceClass() != null) {
                b.dbInstanceClass(original.dbInstanceClass());
            }
            if (original.dbSubnetGroup() != null) {
                b.dbSubnetGroupName(original.dbSubnetGroup().dbSubnetGroupName());
            }
            if (original.hasVpcSecurityGroups() && !original.vpcSecurityGroups().isEmpty()) {
                b.vpcSecurityGroupIds(original.vpcSecurityGroups().stream().map(VpcSecurityGroupMembership::vpcSecurityGroupId).toList());
            }
        }));
        ctx.log("restoring RDS snapshot " + id + " into new instance " + target + " (the stage's instance "
                + snapshots.instance() + " is not touched)");
        DBInstance ready = poller.until(ctx, () -> describe(target), i -> "available".equals(i.dbInstanceStatus()),
                last -> TargetException.permanent("instance " + target + " restored from " + id + " is not available yet (status "
                        + (last == null ? "unknown" : last.dbInstanceStatus()) + "); it goes on in AWS: watch it in the RDS console"));
        String endpoint = ready.endpoint() == null ? "(no endpoint yet)" : ready.endpoint().address() + ":" + ready.endpoint().port();
        ctx.log("restored " + id + " into " + target + " at " + endpoint + ". To point stage " + ctx.stage().name()
                + " at it: set stages." + ctx.stage().name() + ".database.url (or the secret it reads) to jdbc:postgresql://"
                + endpoint + "/<database> and stages." + ctx.stage().name() + ".ecs.rds-instance to " + target
                + ", then deploy. Delete the old instance " + snapshots.instance() + " once you no longer need it.");
        return target;
    }

    private DBInstance describe(String identifier) {
        try {
            return AwsCalls.call("DescribeDBInstances " + identifier, () -> rds.describeDBInstances(b -> b
                    .dbInstanceIdentifier(identifier))).dbInstances().get(0);
        } catch (TargetException e) {
            if (e.getCause() instanceof DbInstanceNotFoundException) {
                throw TargetException.permanent("RDS instance " + identifier + " does not exist; check ecs.rds-instance", e);
            }
            throw e;
        }
    }

    private static String newIdentifier(String instance, StepContext ctx) {
        String suffix = "-restored-" + STAMP.format(ctx.clock().instant());
        String base = instance.length() + suffix.length() > 63 ? instance.substring(0, 63 - suffix.length()) : instance;
        return (base + suffix).replaceAll("-+", "-");
    }
}
