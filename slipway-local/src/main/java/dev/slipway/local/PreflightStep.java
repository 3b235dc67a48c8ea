package dev.slipway.local;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.TargetException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the new image's migrations on a scratch copy of the stage database, before anything stops: creates
 * {@code <db>_pf_<run key>} on the same server, restores this run's snapshot into it, reads its schema, runs the
 * migration container against it, reads the schema again and compares. A failing migration fails the run here, with
 * nothing changed. The scratch database and the container are removed however the step ends; an earlier attempt's
 * leftovers of the same run are removed first. While the step runs, a guard connection stays open on its scratch
 * database, so PostgreSQL refuses a plain DROP DATABASE of it: a scratch database of another run that can be dropped
 * that way belongs to a preflight that no longer runs (its process was killed), and is dropped; one that cannot is
 * left alone and reported. A run whose preflight is dropped under it later starts it again from the snapshot.
 */
final class PreflightStep {
    private static final int MAX_NAME_BYTES = 63;
    private static final int SHOWN = 5;
    private final Containers containers;
    private final PgTools pg;

    PreflightStep(Containers containers, PgTools pg) {
        this.containers = containers;
        this.pg = pg;
    }

    Outputs run(StepContext ctx) {
        if (ctx.stage().database() == null) {
            return unchecked(ctx, "stage " + ctx.stage().name() + " has no database");
        }
        String snapshot = ctx.outputsOf(StepName.SNAPSHOT).flatMap(o -> o.get("snapshot")).orElse("none");
        if ("none".equals(snapshot)) {
            return unchecked(ctx, "this run has no snapshot to restore");
        }
        PgConnection stage = SnapshotStep.connection(ctx);
        String name = scratchName(stage.database(), ctx.runKey());
        PgConnection scratch = stage.withDatabase(name);
        Instant start = ctx.clock().instant();
        removeContainers(ctx);
        dropAbandoned(ctx, stage, name);
        boolean failed = true;
        Connection guard = null;
        try {
            create(ctx, stage, name);
            guard = guard(scratch);
            ctx.log("preflight: restoring snapshot " + snapshot + " into scratch database " + scratch.describe());
            new RestoreStep(pg).intoEmpty(ctx, snapshot, scratch, LocalSettings.innerDeadline(ctx));
            Instant restored = ctx.clock().instant();
            SchemaShape before = shape(scratch);
            new MigrateStep(containers, purpose(scratch, snapshot)).run(ctx);
            Instant migrated = ctx.clock().instant();
            SchemaShape.Diff diff = before.diff(shape(scratch));
            ctx.log("preflight: the migrations' schema change is " + diff.verdict()
                    + (diff.summary(SHOWN).isEmpty() ? "" : ": " + diff.summary(SHOWN)));
            failed = false;
            return Outputs.of("schema", diff.verdict(), "diff", diff.summary(SHOWN), "scratch", name, "snapshot", snapshot,
                    "restoreMs", ms(start, restored), "migrateMs", ms(restored, migrated),
                    "durationMs", ms(start, ctx.clock().instant()));
        } finally {
            closeQuietly(guard);
            cleanUp(ctx, stage, name, failed);
        }
    }

    /** A connection held on the scratch database for the whole step: see the class comment. */
    private Connection guard(PgConnection scratch) {
        try {
            return pg.connect(scratch);
        } catch (SQLException e) {
            String msg = "cannot connect to scratch database " + scratch.describe() + ": " + scratch.scrub(e.getMessage())
                    + "; nothing was stopped";
            String state = e.getSQLState() == null ? "" : e.getSQLState();
            if (state.startsWith("08") || state.equals("3D000")) { // 3D000: another preflight dropped it before we held it
                throw TargetException.transientFailure(msg, e);
            }
            throw TargetException.permanent(msg, e);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // the session ends with the socket either way; the drop with FORCE that follows ends it otherwise
            }
        }
    }

    /** {@code <db>_pf_<run key>}, the database part shortened so that the whole fits Postgres' 63 bytes. */
    static String scratchName(String database, String runKey) {
        String suffix = "_pf_" + keyPart(runKey);
        String db = database;
        while (!db.isEmpty() && (db + suffix).getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            db = db.substring(0, db.length() - 1);
        }
        return db + suffix;
    }

    /** The run key as it appears in scratch names: lower case (ULIDs are case-insensitive), legacy dots as underscores. */
    private static String keyPart(String runKey) {
        return runKey.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    private static MigrateStep.Purpose purpose(PgConnection scratch, String snapshot) {
        return new MigrateStep.Purpose(Labels.PREFLIGHT, "preflight", Map.of("DATABASE_URL", scratch.jdbcUrl()),
                "this was the preflight, on scratch database " + scratch.database() + " (a restore of snapshot " + snapshot
                        + "): nothing was stopped and the stage database is unchanged. Fix the migration and deploy again");
    }

    private void create(StepContext ctx, PgConnection stage, String name) {
        try {
            pg.dropDatabase(stage, name); // an earlier attempt of this run that died before its clean-up
            pg.createDatabase(stage, name);
        } catch (SQLException e) {
            String advice = "42501".equals(e.getSQLState()) ? "Grant the database user CREATEDB, or set stages."
                    + ctx.stage().name() + ".preflight: false" : "Set stages." + ctx.stage().name() + ".preflight: false to skip it";
            String msg = "cannot create scratch database " + name + " for the preflight on " + stage.describe() + ": "
                    + stage.scrub(e.getMessage()) + "; nothing was stopped. " + advice;
            if (e.getSQLState() != null && e.getSQLState().startsWith("08")) {
                throw TargetException.transientFailure(msg, e);
            }
            throw TargetException.permanent(msg, e);
        }
    }

    private SchemaShape shape(PgConnection db) {
        try (Connection c = pg.connect(db)) {
            return SchemaShape.read(c);
        } catch (SQLException e) {
            throw TargetException.permanent("cannot read the schema of scratch database " + db.describe() + ": "
                    + db.scrub(e.getMessage()) + "; nothing was stopped", e);
        }
    }

    /**
     * Removes this run's preflight container and scratch database, even when the thread was interrupted. A database
     * that cannot be dropped fails a preflight that had succeeded (a retry drops it first); after a failure it is only
     * logged, so that the failure's own reason stays the run's reason.
     */
    private void cleanUp(StepContext ctx, PgConnection stage, String name, boolean failed) {
        boolean interrupted = Thread.interrupted();
        try {
            removeContainers(ctx);
        } catch (RuntimeException e) {
            ctx.log("preflight: cannot remove the preflight container: " + e.getMessage());
        }
        try {
            pg.dropDatabase(stage, name);
            ctx.log("preflight: dropped scratch database " + name);
        } catch (SQLException e) {
            String msg = "cannot drop scratch database " + name + " on " + stage.describe() + ": "
                    + stage.scrub(e.getMessage()) + "; nothing was stopped. Drop it by hand (DROP DATABASE "
                    + PgTools.quote(name) + ") or retry: the next attempt of this run drops it first";
            ctx.log(msg);
            if (!failed && !interrupted) {
                throw TargetException.transientFailure(msg, e);
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void removeContainers(StepContext ctx) {
        for (Containers.Box b : containers.list(Labels.run(ctx, Labels.PREFLIGHT, ctx.runKey()))) {
            containers.remove(b.id());
            ctx.log("preflight: removed " + b.name());
        }
    }

    /** Drops other runs' scratch databases that no live preflight holds open; reports the ones that one does. */
    private void dropAbandoned(StepContext ctx, PgConnection stage, String name) {
        String prefix = name.substring(0, name.length() - keyPart(ctx.runKey()).length());
        try {
            List<String> inUse = new java.util.ArrayList<>();
            for (String other : pg.databasesStartingWith(stage, prefix)) {
                if (other.equals(name)) {
                    continue;
                }
                if (pg.dropDatabaseUnlessInUse(stage, other)) {
                    ctx.log("preflight: dropped scratch database " + other + ", left by a preflight that no longer runs");
                } else {
                    inUse.add(other);
                }
            }
            if (!inUse.isEmpty()) {
                ctx.log("preflight: scratch databases of other runs remain: " + String.join(", ", inUse)
                        + "; they are in use (a preflight of another Slipway is running, or a session is open on them)."
                        + " A later preflight drops them once nothing is connected");
            }
        } catch (SQLException e) {
            ctx.log("preflight: cannot list or drop other scratch databases: " + stage.scrub(e.getMessage()));
        }
    }

    private static Outputs unchecked(StepContext ctx, String why) {
        ctx.log("preflight skipped: " + why);
        return Outputs.of("schema", "unchecked", "reason", why);
    }

    private static String ms(Instant from, Instant to) {
        return String.valueOf(Duration.between(from, to).toMillis());
    }
}
