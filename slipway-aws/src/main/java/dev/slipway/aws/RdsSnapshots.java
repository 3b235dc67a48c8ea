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
    static final String TAG_STAGE = RunTags.STAGE;
    static final String TAG_APP = RunTags.APP;
    static final String TAG_COMMIT = RunTags.COMMIT;
    static final String TAG_RUN = RunTags.RUN;
    static final String TAG_RUN_KEY = RunTags.RUN_KEY;
    private static final int MAX_ID = 255;

    private final RdsClient rds;
    private final String instance;

    RdsSnapshots(RdsClient rds, String instance) {
        this.rds = rds;
        this.instance = instance;
    }

    String instance() {
        return instance;
    }

    /**
     * The snapshot id of a run: app, stage, run key and the commit's start, within RDS's rules (a letter first, then
     * letters, digits and single hyphens, at most 255). The key makes it unique across journals; it is never cut.
     */
    static String idFor(String app, String stage, String runKey, String commit) {
        String shortCommit = commit.replaceAll("[^A-Za-z0-9]", "");
        shortCommit = shortCommit.substring(0, Math.min(12, shortCommit.length())).toLowerCase(java.util.Locale.ROOT);
        String tail = "-" + runKey.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "")
                + (shortCommit.isEmpty() ? "" : "-" + shortCommit);
        String head = ("slipway-" + app + "-" + stage).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-")
                .replaceAll("-+", "-");
        head = head.substring(0, Math.min(head.length(), MAX_ID - tail.length())).replaceAll("-$", "");
        return head + tail;
    }

    static List<Tag> tags(StepContext ctx) {
        return RunTags.of(ctx).entrySet().stream().map(e -> tag(e.getKey(), e.getValue())).toList();
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
