package dev.slipway.local;

import dev.slipway.core.spec.LocalSpec;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.StepContext;
import dev.slipway.images.ImageRefs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Describes what a deploy would do on the stage; only reads (lists containers). */
final class Planner {
    private final Containers containers;

    Planner(Containers containers) {
        this.containers = containers;
    }

    List<String> plan(StepContext ctx) {
        SlipwaySpec spec = ctx.spec();
        StageSpec stage = ctx.stage();
        LocalSpec local = LocalSettings.local(ctx);
        List<String> lines = new ArrayList<>();
        String tag = ImageRefs.local(spec.app(), ctx.commit());
        java.util.Optional<String> given = ctx.requestedImage();
        lines.add(given.isPresent() ? "build: none; deploys " + given.get() + " (it must be in the container engine)" : "build: " + tag + " from " + Path.of(spec.build().context()).resolve(spec.build().dockerfile()).normalize()
                + " as of commit " + ctx.commit() + " (an image already built for it is reused)"
                + (spec.build().args().isEmpty() ? "" : " with build args "
                + String.join(", ", spec.build().args().keySet()))
                + (spec.build().registry() == null ? "" : ", then push to " + spec.build().registry() + "/" + tag));
        lines.add(stage.database() == null ? "snapshot: none (the stage has no database)"
                : "snapshot: pg_dump -Fc of " + dev.slipway.core.Redact.url(stage.database().url().template()) + " into " + LocalSettings.snapshotDir(ctx)
                + " (keep " + stage.snapshots().keep() + ")");
        lines.add("stop-old: " + running(ctx, local));
        lines.add(spec.migrations().enabled() ? "migrate: `" + String.join(" ", spec.migrations().command())
                + "` in a one-off container of the new image (timeout " + spec.migrations().timeout().toSeconds() + " s)"
                : "migrate: none (no migrations.command)");
        if (local.proxied()) {
            lines.add("proxy: caddy owns port " + local.port() + " (admin and metrics on 127.0.0.1:" + local.proxyAdmin()
                    + "), started if it is not running; requests wait up to " + CaddyProxy.hold(ctx).toSeconds()
                    + " s for a release; its files are in " + CaddyProxy.dir(ctx));
            lines.add("deploy: start " + stage.replicas() + " replica(s) on free internal ports, network " + local.network()
                    + (ctx.strategy() == dev.slipway.core.spec.Strategy.ONLINE ? ", beside the old release" : ""));
        } else {
            lines.add("deploy: start " + stage.replicas() + " replica(s) on " + ports(ctx) + ", network " + local.network());
        }
        lines.add(local.proxied() ? "verify: GET " + spec.health().path() + " on each new replica's port until 2xx, at most "
                + spec.health().timeout().toSeconds() + " s, then switch the proxy to the new replicas"
                : "verify: GET " + LocalSettings.healthUrl(ctx, local.port()) + (stage.replicas() > 1 ? " (and the other ports)" : "")
                + " until 2xx, at most " + spec.health().timeout().toSeconds() + " s");
        lines.add("on failure: remove the new containers" + (stage.snapshots().restoreOnFailure() ? ", restore the snapshot" : "")
                + ", start the previous release again and wait for its health");
        return lines;
    }

    private String running(StepContext ctx, LocalSpec local) {
        try {
            List<Containers.Box> up = containers.list(Labels.role(ctx, Labels.SERVER)).stream()
                    .filter(Containers.Box::running).toList();
            return up.isEmpty() ? "nothing is running" : "stop " + StopOldStep.names(up) + " (grace "
                    + local.stopGrace().toSeconds() + " s), keeping them for a rollback";
        } catch (RuntimeException e) {
            return "cannot list the stage's containers: " + e.getMessage();
        }
    }

    private static String ports(StepContext ctx) {
        int first = LocalSettings.hostPort(ctx, 0);
        int n = ctx.stage().replicas();
        return n == 1 ? "port " + first : "ports " + first + "-" + (first + n - 1);
    }
}
