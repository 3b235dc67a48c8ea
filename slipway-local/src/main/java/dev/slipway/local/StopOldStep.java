package dev.slipway.local;

import dev.slipway.core.spec.Strategy;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Creates the new release's containers (not started), then stops whatever serves the stage: SIGTERM, the grace
 * period, SIGKILL, all replicas at once. Nothing of another run is removed here: the stopped containers are kept so
 * that compensation can start them again, and so that this step, resumed after a crash, names the same previous
 * release (verify removes them once the new release is healthy).
 */
final class StopOldStep {
    private final Containers containers;
    private final Replicas replicas;
    private final ExecutorService pool;

    StopOldStep(Containers containers, ExecutorService pool) {
        this.containers = containers;
        this.replicas = new Replicas(containers);
        this.pool = pool;
    }

    Outputs run(StepContext ctx) {
        List<Containers.Box> servers = containers.list(Labels.role(ctx, Labels.SERVER));
        PreviousRelease previous = PreviousRelease.find(ctx, servers);
        if (LocalSettings.proxied(ctx) && ctx.strategy() == Strategy.ONLINE) {
            return retire(ctx, servers, previous);
        }
        List<Containers.Box> created = replicas.ensureCreated(ctx, ctx.runId(), ctx.runKey(), ctx.commit(), LocalSettings.newImage(ctx),
                ctx.stage().replicas(), ctx::log);
        List<Containers.Box> running = servers.stream()
                .filter(b -> !Labels.isThisRun(ctx, b) && b.running()).toList();
        Duration grace = LocalSettings.local(ctx).stopGrace();
        String stopping = running.isEmpty() ? "nothing is running on stage " + ctx.stage().name()
                : "stopping " + names(running) + " (grace " + grace.toSeconds() + " s); previous release: " + previous.describe();
        if (!LocalSettings.proxied(ctx)) {
            ctx.log(stopping);
            stopAll(running, grace);
        } else {
            // The proxy is pointed at the new replicas (not started yet) before the old ones stop: from here on requests wait
            // for the new release, and nothing changes the proxy's config until they flow (a reload would abort them).
            CaddyProxy proxy = new CaddyProxy(ctx);
            List<Integer> ports = Replicas.ports(created);
            if (proxy.upstreams().isEmpty()) {
                ctx.log(stopping + "; then the proxy starts (replicas deployed without one hold port " + LocalSettings.local(ctx).port() + ")");
                stopAll(running, grace);
                proxy.ensure(ports, LocalSettings.innerDeadline(ctx));
            } else {
                proxy.ensure(proxy.upstreams().orElseThrow(), LocalSettings.innerDeadline(ctx));
                proxy.switchTo(ports);
                ctx.log("requests to port " + LocalSettings.local(ctx).port() + " now wait (up to " + CaddyProxy.hold(ctx).toSeconds()
                        + " s) for the new release; " + stopping);
                stopAll(running, grace);
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        previous.putInto(out);
        out.put("stopped", String.valueOf(running.size()));
        out.put("newContainers", String.join(",", created.stream().map(Containers.Box::id).toList()));
        return new Outputs(out);
    }

    /**
     * Online, after verify switched the proxy to this run's replicas: stops the other runs' replicas gracefully (their
     * in-flight requests finish), keeping the previous release's containers for a rollback and removing older leftovers.
     */
    private Outputs retire(StepContext ctx, List<Containers.Box> servers, PreviousRelease previous) {
        List<Integer> ours = Replicas.ports(replicas.ofRun(ctx, ctx.runKey()));
        List<Integer> serving = new CaddyProxy(ctx).upstreams().orElse(List.of());
        if (ours.isEmpty() || !serving.equals(ours)) {
            throw TargetException.permanent("the proxy of stage " + ctx.stage().name() + " forwards to " + CaddyProxy.describe(serving)
                    + ", not to this run's replicas (" + CaddyProxy.describe(ours) + "): the old release keeps serving and is not stopped");
        }
        List<Containers.Box> running = servers.stream().filter(b -> !Labels.isThisRun(ctx, b) && b.running()).toList();
        Duration grace = LocalSettings.local(ctx).stopGrace();
        ctx.log(running.isEmpty() ? "no other release is running on stage " + ctx.stage().name()
                : "the proxy forwards to this run's replicas; stopping " + names(running) + " (grace " + grace.toSeconds()
                + " s); previous release: " + previous.describe());
        stopAll(running, grace);
        for (Containers.Box b : containers.list(Labels.stage(ctx))) {
            boolean leftover = Labels.SERVER.equals(b.label(Labels.ROLE)) && !Labels.isThisRun(ctx, b)
                    && !Labels.keyOf(b).equals(previous.key());
            boolean finishedMigration = Labels.MIGRATE.equals(b.label(Labels.ROLE)) && !b.running();
            if (leftover || finishedMigration) {
                containers.remove(b.id());
                ctx.log("removed " + b.name());
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        previous.putInto(out);
        out.put("stopped", String.valueOf(running.size()));
        return new Outputs(out);
    }

    private void stopAll(List<Containers.Box> boxes, Duration grace) {
        List<Future<?>> stops = new ArrayList<>();
        for (Containers.Box b : boxes) {
            stops.add(pool.submit(() -> containers.stop(b.id(), grace)));
        }
        for (Future<?> f : stops) {
            try {
                f.get();
            } catch (InterruptedException e) {
                stops.forEach(s -> s.cancel(true));
                Thread.currentThread().interrupt();
                throw TargetException.permanent("stopping the old release was interrupted");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    static String names(List<Containers.Box> boxes) {
        return String.join(", ", boxes.stream().map(Containers.Box::name).toList());
    }
}
