package dev.slipway.local;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.SnapshotInfo;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.Target;
import dev.slipway.images.ImageEngine;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The {@code local} target: the app's containers on the Docker or Podman engine of this machine, snapshots with
 * {@code pg_dump}. Each step is its own class; this one only hands over. Clients are made on first use, so listing
 * snapshots needs no container engine. After each step that may change which replicas run, the stage's Prometheus
 * targets file is rewritten ({@link ScrapeTargets}), whether the step succeeded or not.
 */
final class LocalTarget implements Target {
    private final Supplier<ImageEngine> images;
    private final Supplier<Containers> containers;
    private final PgTools pg;
    private final HealthWaits health;
    private final ExecutorService pool;

    LocalTarget(Supplier<ImageEngine> images, Supplier<Containers> containers, PgTools pg, HealthWaits health,
                ExecutorService pool) {
        this.images = images;
        this.containers = containers;
        this.pg = pg;
        this.health = health;
        this.pool = pool;
    }

    @Override
    public void claim(StepContext ctx) {
        new StageClaim(containers.get()).run(ctx);
        if (LocalSettings.proxied(ctx)) {
            // before anything is built or stopped: a proxy admin port that answers as some other proxy (another stage's,
            // another app's) would only be found at stop-old, where neither the switch nor compensation could use it
            new CaddyProxy(ctx).upstreams();
        }
    }

    @Override
    public Outputs build(StepContext ctx) {
        return new BuildStep(images.get()).run(ctx);
    }

    @Override
    public Outputs snapshot(StepContext ctx) {
        return new SnapshotStep(pg).run(ctx);
    }

    /** On by default: the engine does not call it when the stage says {@code preflight: false}. */
    @Override
    public Outputs preflight(StepContext ctx) {
        return new PreflightStep(containers.get(), pg).run(ctx);
    }

    @Override
    public java.util.Optional<String> preflightUnsupported(dev.slipway.core.spec.StageSpec stage) {
        return java.util.Optional.empty();
    }

    @Override
    public java.util.Optional<String> onlineUnsupported(dev.slipway.core.spec.StageSpec stage) {
        dev.slipway.core.spec.LocalSpec local = stage.local();
        if (local != null && local.proxied()) {
            return java.util.Optional.empty();
        }
        int port = local == null ? 0 : local.port();
        return java.util.Optional.of("with local.proxy: none the old and new replicas cannot share port " + port
                + "; set local.proxy: caddy");
    }

    @Override
    public Outputs stopOld(StepContext ctx) {
        try {
            return new StopOldStep(containers.get(), pool).run(ctx);
        } finally {
            new ScrapeTargets(containers).update(ctx);
        }
    }

    @Override
    public Outputs migrate(StepContext ctx) {
        return new MigrateStep(containers.get()).run(ctx);
    }

    @Override
    public Outputs deploy(StepContext ctx) {
        try {
            return new DeployStep(containers.get()).run(ctx);
        } finally {
            new ScrapeTargets(containers).update(ctx);
        }
    }

    @Override
    public Outputs verify(StepContext ctx) {
        return new VerifyStep(containers.get(), health).run(ctx);
    }

    @Override
    public Outputs compensate(StepContext ctx, boolean restoreSnapshot) {
        try {
            return new CompensateStep(containers.get(), new RestoreStep(pg), health).run(ctx, restoreSnapshot);
        } finally {
            new ScrapeTargets(containers).update(ctx);
        }
    }

    @Override
    public List<String> plan(StepContext ctx) {
        return new Planner(containers.get()).plan(ctx);
    }

    @Override
    public List<SnapshotInfo> snapshots(StepContext ctx) {
        return new SnapshotStore(LocalSettings.snapshotDir(ctx)).list().stream()
                .map(m -> new SnapshotInfo(m.id(), m.stage(), m.runId(), m.commit(), m.created(), m.sizeBytes(),
                        "sha256 " + m.sha256().substring(0, 12) + ", pg_dump took " + m.durationMs() + " ms, of " + m.database()))
                .toList();
    }

    @Override
    public void restore(StepContext ctx, String id) {
        new RestoreStep(pg).run(ctx, id, ctx.deadline());
    }
}
