package dev.slipway.local;

import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.time.Instant;

/** Restores one of the stage's snapshots into the stage database (discarding writes made since). */
final class RestoreStep {
    private final PgTools pg;

    RestoreStep(PgTools pg) {
        this.pg = pg;
    }

    void run(StepContext ctx, String id, Instant deadline) {
        if (ctx.stage().database() == null) {
            throw TargetException.permanent("stage " + ctx.stage().name() + " has no database to restore into");
        }
        SnapshotStore store = new SnapshotStore(LocalSettings.snapshotDir(ctx));
        SnapshotStore.Meta meta = intact(ctx, store, id);
        PgConnection db = SnapshotStep.connection(ctx);
        pg.checkReachable(db);
        ctx.log("restoring snapshot " + id + " (run " + meta.runId() + ", " + meta.commit() + ", taken " + meta.createdAt()
                + ") into " + db.describe());
        pg.restore(db, store.dumpFile(id), deadline, ctx::log);
        ctx.log("restored snapshot " + id);
    }

    /** Restores snapshot {@code id}, checked intact, into {@code empty}, a database just created (the preflight's scratch). */
    void intoEmpty(StepContext ctx, String id, PgConnection empty, Instant deadline) {
        SnapshotStore store = new SnapshotStore(LocalSettings.snapshotDir(ctx));
        intact(ctx, store, id);
        pg.restoreFresh(empty, store.dumpFile(id), deadline, ctx::log);
    }

    private static SnapshotStore.Meta intact(StepContext ctx, SnapshotStore store, String id) {
        SnapshotStore.Meta meta = store.find(id).orElseThrow(() -> TargetException.permanent("no snapshot '" + id
                + "' of stage " + ctx.stage().name() + " in " + store.dir() + "; `slipway snapshots list "
                + ctx.stage().name() + "` shows the ones there are"));
        try {
            if (!store.intact(meta)) {
                throw TargetException.permanent("snapshot " + id + " is damaged: " + store.dumpFile(id)
                        + " no longer has sha256 " + meta.sha256() + "; restore another one");
            }
        } catch (IOException e) {
            throw TargetException.permanent("cannot read snapshot " + store.dumpFile(id) + ": " + e.getMessage(), e);
        }
        return meta;
    }
}
