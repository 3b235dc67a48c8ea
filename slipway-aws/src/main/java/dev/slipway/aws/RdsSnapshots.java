package dev.slipway.aws;

import dev.slipway.core.target.SnapshotInfo;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;

/** Slipway's manual RDS snapshots of a stage's instance: found by their tags, never by name alone. */
final class RdsSnapshots {
    static final String TAG_STAGE = "slipway:stage";
    static final String TAG_APP = "slipway:app";
    static final String TAG_COMMIT = "slipway:commit";
    static final String TAG_RUN = "slipway:run";

    private final RdsClient rds;
    private final String instance;

    RdsSnapshots(RdsClient rds, String instance) {
        this.rds = rds;
        this.instance = instance;
    }

    String instance() {
        return instance;
    }

    /** The snapshot id of a run: stage, run and commit, within RDS's rules (letters, digits, single hyphens). */
    static String idFor(String app, String stage, long runId, String commit) {
        String shortCommit = commit.replaceAll("[^A-Za-z0-9]", "");
        shortCommit = shortCommit.substring(0, Math.min(12, shortCommit.length()));
        String id = ("slipway-" + app + "-" + stage + "-r" + runId + (shortCommit.isEmpty() ? "" : "-" + shortCommit))
                .toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-+", "-");
        return id.length() > 200 ? id.substring(0, 200) : id;
    }

    static List<Tag> tags(StepContext ctx) {
        return List.of(tag(TAG_STAGE, ctx.stage().name()), tag(TAG_APP, ctx.spec().app()), tag(TAG_COMMIT, ctx.commit()),
                tag(TAG_RUN, String.valueOf(ctx.runId())));
    }

    Optional<DBSnapshot> find(String id) {
        try {
            return AwsCalls.call("DescribeDBSnapshots " + id, () -> rds.describeDBSnapshots(b -> b.dbSnapshotIdentifier(id)))
                    .dbSnapshots().stream().findFirst();
        } catch (TargetException e) {
            if (e.getCause() instanceof DbSnapshotNotFoundException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Slipway's snapshots of {@code app}/{@code stage} on the instance, newest first. */
    List<DBSnapshot> ofStage(String app, String stage) {
        return AwsCalls.call("DescribeDBSnapshots of instance " + instance, () -> rds.describeDBSnapshotsPaginator(b -> b
                        .dbInstanceIdentifier(instance).snapshotType("manual")).dbSnapshots().stream().toList())
                .stream()
                .filter(s -> stage.equals(tagsOf(s).get(TAG_STAGE)) && app.equals(tagsOf(s).get(TAG_APP)))
                .sorted(Comparator.comparing(RdsSnapshots::created).reversed())
                .toList();
    }

    static SnapshotInfo info(DBSnapshot s) {
        Map<String, String> tags = tagsOf(s);
        String run = tags.getOrDefault(TAG_RUN, "0");
        long size = s.allocatedStorage() == null ? -1 : s.allocatedStorage() * 1024L * 1024L * 1024L;
        return new SnapshotInfo(s.dbSnapshotIdentifier(), tags.getOrDefault(TAG_STAGE, "?"),
                run.matches("\\d{1,18}") ? Long.parseLong(run) : 0, tags.getOrDefault(TAG_COMMIT, "?"), created(s), size,
                s.status() + ", instance " + s.dbInstanceIdentifier() + ", " + s.dbSnapshotArn());
    }

    static Map<String, String> tagsOf(DBSnapshot s) {
        return s.tagList().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> b));
    }

    private static Instant created(DBSnapshot s) {
        return s.snapshotCreateTime() == null ? Instant.EPOCH : s.snapshotCreateTime();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
