package dev.slipway.local;

import dev.slipway.core.spec.DatabaseSpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code pg_dump -Fc} of the stage database into the snapshot store, then retention. Checks first that the database
 * answers: an unreachable one fails the run here, before anything is stopped.
 */
final class SnapshotStep {
    private final PgTools pg;

    SnapshotStep(PgTools pg) {
        this.pg = pg;
    }

    Outputs run(StepContext ctx) {
        if (ctx.stage().database() == null) {
            ctx.log("stage " + ctx.stage().name() + " has no database: nothing to snapshot");
            return Outputs.of("snapshot", "none");
        }
        SnapshotStore store = new SnapshotStore(LocalSettings.snapshotDir(ctx));
        String id = SnapshotStore.idFor(ctx.runKey(), ctx.commit());
        Optional<SnapshotStore.Meta> done = store.find(id);
        if (done.isPresent()) {
            ctx.log("snapshot " + id + " was already taken by an earlier attempt of this run");
            return outputs(done.get(), store);
        }
        PgConnection db = connection(ctx);
        pg.checkReachable(db);
        Path partial = null;
        try {
            partial = store.newPartialFile(id);
            Instant start = ctx.clock().instant();
            ctx.log("pg_dump -Fc of " + db.describe() + " into " + store.dumpFile(id));
            pg.dump(db, partial, ctx.deadline(), ctx::log);
            long ms = Duration.between(start, ctx.clock().instant()).toMillis();
            SnapshotStore.Meta meta = store.commit(id, partial, ctx.stage().name(), ctx.runId(), ctx.runKey(), ctx.commit(),
                    start, ms,
                    db.describe());
            ctx.log("snapshot " + id + ": " + meta.sizeBytes() + " bytes in " + ms + " ms, sha256 " + meta.sha256());
            List<String> removed = store.retain(ctx.stage().snapshots().keep());
            if (!removed.isEmpty()) {
                ctx.log("retention (keep " + ctx.stage().snapshots().keep() + "): removed " + String.join(", ", removed));
            }
            return outputs(meta, store);
        } catch (IOException e) {
            throw TargetException.permanent("cannot write snapshot " + id + " into " + store.dir() + ": " + e.getMessage(), e);
        } finally {
            deletePartial(partial); // a dump that was stopped or failed leaves nothing behind (after commit it is gone anyway)
        }
    }

    private static void deletePartial(Path partial) {
        if (partial == null) {
            return;
        }
        try {
            java.nio.file.Files.deleteIfExists(partial);
        } catch (IOException e) {
            // the next attempt of this run overwrites it; nothing reads a partial file
        }
    }

    private static Outputs outputs(SnapshotStore.Meta meta, SnapshotStore store) {
        return Outputs.of("snapshot", meta.id(), "file", store.dumpFile(meta.id()).toString(),
                "sizeBytes", String.valueOf(meta.sizeBytes()), "sha256", meta.sha256(), "durationMs", String.valueOf(meta.durationMs()));
    }

    /** The stage database, credentials resolved (and so masked in logs). */
    static PgConnection connection(StepContext ctx) {
        DatabaseSpec db = ctx.stage().database();
        String prefix = "stages." + ctx.stage().name() + ".database.";
        String url = ctx.resolve(db.url(), prefix + "url");
        String user = db.user() == null ? null : ctx.resolve(db.user(), prefix + "user");
        String password = db.password() == null ? null : ctx.resolve(db.password(), prefix + "password");
        try {
            return PgConnection.parse(url, user, password);
        } catch (IllegalArgumentException e) {
            throw TargetException.permanent(prefix + "url: " + e.getMessage());
        }
    }
}
