package dev.slipway.local;

import dev.slipway.core.spec.LocalSpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** Values the steps derive from the spec and the run; all pure. */
final class LocalSettings {
    private static final Duration MIN_MARGIN = Duration.ofMillis(500);
    private static final Duration MAX_MARGIN = Duration.ofSeconds(5);

    private LocalSettings() {
    }

    static LocalSpec local(StepContext ctx) {
        LocalSpec local = ctx.stage().local();
        if (local == null) {
            throw new IllegalStateException("stage " + ctx.stage().name() + " has no local settings but uses the local target (bug)");
        }
        return local;
    }

    static boolean hostNetwork(StepContext ctx) {
        return "host".equals(local(ctx).network());
    }

    /** Whether a reverse proxy owns the stage's port ({@code local.proxy}); the replicas then listen on internal ports. */
    static boolean proxied(StepContext ctx) {
        return local(ctx).proxied();
    }

    /** A port nothing on 127.0.0.1 listens on now, for a replica behind the proxy (the kernel's pick). */
    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw dev.slipway.core.target.TargetException.transientFailure("cannot find a free port for a replica: " + e.getMessage(), e);
        }
    }

    /** The host port of replica {@code i} without a proxy: {@code local.port + i}. */
    static int hostPort(StepContext ctx, int replica) {
        return local(ctx).port() + replica;
    }

    static URI healthUrl(StepContext ctx, int hostPort) {
        return URI.create("http://127.0.0.1:" + hostPort + ctx.spec().health().path());
    }

    /** The image this run deploys: the build's image id (exactly what was built), else its reference. */
    static String newImage(StepContext ctx) {
        Outputs build = ctx.outputsOf(StepName.BUILD)
                .orElseThrow(() -> new IllegalStateException("step " + ctx.step() + " ran before build succeeded (bug)"));
        return build.get("imageId").orElseGet(() -> build.require("image"));
    }

    static Path snapshotDir(StepContext ctx) {
        return ctx.spec().baseDir().resolve(local(ctx).snapshotDir()).resolve(ctx.stage().name()).normalize();
    }

    /**
     * When our own waits give up: a little before the engine's deadline, so that the step fails with its own message
     * (output tail, replica states) rather than the engine's bare "did not finish in time".
     */
    static Instant innerDeadline(StepContext ctx) {
        Duration left = Duration.between(ctx.clock().instant(), ctx.deadline());
        Duration margin = left.dividedBy(10);
        margin = margin.compareTo(MIN_MARGIN) < 0 ? MIN_MARGIN : margin.compareTo(MAX_MARGIN) > 0 ? MAX_MARGIN : margin;
        Instant inner = ctx.deadline().minus(margin);
        return inner.isAfter(ctx.clock().instant()) ? inner : ctx.deadline();
    }

    static String shortId(String id) {
        String s = id.startsWith("sha256:") ? id.substring(7) : id;
        return s.length() > 12 ? s.substring(0, 12) : s;
    }
}
