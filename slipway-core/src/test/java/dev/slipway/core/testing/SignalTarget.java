package dev.slipway.core.testing;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.Target;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * A target for tests that run Slipway as a separate process and steer it through files in a control directory
 * (env {@code SLIPWAY_TEST_DIR}), because a test cannot reach into another JVM:
 * <ul>
 *   <li>every step appends {@code "<run> <step> start"} and {@code "<run> <step> end"} to {@code calls.log};</li>
 *   <li>with a file {@code hold} present, a step waits until {@code go.<step>} exists before it ends;</li>
 *   <li>a file {@code fail.<step>} makes that step fail permanently with the file's text as the reason.</li>
 * </ul>
 */
public final class SignalTarget implements Target {
    private final Path dir;

    public SignalTarget(Path dir) {
        this.dir = dir;
    }

    private Outputs step(StepContext ctx, StepName step) {
        record(ctx.runId() + " " + step.id() + " start");
        try {
            if (Files.exists(dir.resolve("hold"))) {
                awaitFile(dir.resolve("go." + step.id()));
            }
            Path fail = dir.resolve("fail." + step.id());
            if (Files.exists(fail)) {
                throw TargetException.permanent(Files.readString(fail).trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        record(ctx.runId() + " " + step.id() + " end");
        return Outputs.of(step.id(), "done-" + ctx.runId());
    }

    /**
     * Waits until another process creates {@code file}: woken by the file system's notice of it (inotify on Linux), and
     * looking again at least every 50 ms in case a notice is missed (some file systems send none).
     */
    private static void awaitFile(Path file) {
        try (WatchService watch = file.getFileSystem().newWatchService()) {
            file.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            while (!Files.exists(file)) {
                WatchKey key = watch.poll(50, TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TargetException.permanent("interrupted while waiting for " + file.getFileName());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void record(String line) {
        try {
            Files.writeString(dir.resolve("calls.log"), line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Outputs build(StepContext ctx) {
        step(ctx, StepName.BUILD);
        return Outputs.of("image", "app:" + ctx.commit(), "digest", "sha256:" + ctx.commit());
    }

    @Override
    public Outputs snapshot(StepContext ctx) {
        return step(ctx, StepName.SNAPSHOT);
    }

    @Override
    public Outputs stopOld(StepContext ctx) {
        return step(ctx, StepName.STOP_OLD);
    }

    @Override
    public Outputs migrate(StepContext ctx) {
        return step(ctx, StepName.MIGRATE);
    }

    @Override
    public Outputs deploy(StepContext ctx) {
        return step(ctx, StepName.DEPLOY);
    }

    @Override
    public Outputs verify(StepContext ctx) {
        return step(ctx, StepName.VERIFY);
    }

    @Override
    public Outputs compensate(StepContext ctx, boolean restoreSnapshot) {
        record(ctx.runId() + " compensate start");
        record(ctx.runId() + " compensate end");
        return Outputs.of("restored", ctx.previousRelease().map(r -> r.commit()).orElse("none"));
    }
}
