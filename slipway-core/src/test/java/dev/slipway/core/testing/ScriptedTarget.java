package dev.slipway.core.testing;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.Target;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A hand-written fake target for engine tests: every step records its call and then runs a behaviour the test
 * scripted (succeed, fail, block on a latch…). A fake is right here: these tests are about the engine, and no real
 * target can be told to fail a given step on a given attempt.
 */
public final class ScriptedTarget implements Target {
    /** One recorded call: which run, which step, which attempt, when it started and ended (nanoTime). */
    public record Call(long runId, StepName step, int attempt, long startNanos, long endNanos) {
    }

    private final Map<StepName, Function<StepContext, Outputs>> behaviour = new ConcurrentHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<String> restored = new CopyOnWriteArrayList<>();
    private volatile boolean lastRestoreFlag;

    private volatile java.util.function.Consumer<StepContext> claim = ctx -> { };

    /** What {@link #claim} does (by default nothing: the stage is this journal's). */
    public ScriptedTarget onClaim(java.util.function.Consumer<StepContext> what) {
        this.claim = what;
        return this;
    }

    @Override
    public void claim(StepContext ctx) {
        claim.accept(ctx);
    }

    private volatile java.util.Optional<String> onlineUnsupported = java.util.Optional.of("the scripted target was not told it can run online");
    private final Map<StepName, dev.slipway.core.spec.Strategy> strategies = new ConcurrentHashMap<>();

    /** Whether the target says it can serve two releases side by side (by default not, like {@link Target}'s default). */
    public ScriptedTarget online(java.util.Optional<String> unsupported) {
        this.onlineUnsupported = unsupported;
        return this;
    }

    private volatile java.util.Optional<String> preflightUnsupported = java.util.Optional.empty();

    /** Whether the target says it runs a preflight (by default it does, unlike {@link Target}'s default). */
    public ScriptedTarget preflight(java.util.Optional<String> unsupported) {
        this.preflightUnsupported = unsupported;
        return this;
    }

    @Override
    public java.util.Optional<String> preflightUnsupported(dev.slipway.core.spec.StageSpec stage) {
        return preflightUnsupported;
    }

    @Override
    public java.util.Optional<String> onlineUnsupported(dev.slipway.core.spec.StageSpec stage) {
        return onlineUnsupported;
    }

    /** The {@link StepContext#strategy()} the last call of {@code step} saw. */
    public dev.slipway.core.spec.Strategy strategySeenBy(StepName step) {
        return strategies.get(step);
    }

    /** Runs as scripted for {@link StepName#PREFLIGHT}; by default says the schema is unchecked. */
    @Override
    public Outputs preflight(StepContext ctx) {
        Outputs out = call(StepName.PREFLIGHT, ctx);
        return behaviour.containsKey(StepName.PREFLIGHT) ? out : Outputs.of("schema", "unchecked");
    }

    public ScriptedTarget on(StepName step, Function<StepContext, Outputs> what) {
        behaviour.put(step, what);
        return this;
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    public List<StepName> steps(long runId) {
        return calls.stream().filter(c -> c.runId() == runId).map(Call::step).toList();
    }

    public long count(StepName step) {
        return calls.stream().filter(c -> c.step() == step).count();
    }

    public boolean lastRestoreFlag() {
        return lastRestoreFlag;
    }

    private Outputs call(StepName step, StepContext ctx) {
        long start = System.nanoTime();
        strategies.put(step, ctx.strategy());
        try {
            Function<StepContext, Outputs> f = behaviour.get(step);
            return f == null ? Outputs.of(step.id(), "done-" + ctx.runId()) : f.apply(ctx);
        } finally {
            calls.add(new Call(ctx.runId(), step, ctx.attempt(), start, System.nanoTime()));
        }
    }

    @Override
    public Outputs build(StepContext ctx) {
        Outputs out = call(StepName.BUILD, ctx);
        return out.values().containsKey("digest") ? out : Outputs.of("image", "app:" + ctx.commit(), "digest", "sha256:" + ctx.commit());
    }

    @Override
    public Outputs snapshot(StepContext ctx) {
        return call(StepName.SNAPSHOT, ctx);
    }

    @Override
    public Outputs stopOld(StepContext ctx) {
        return call(StepName.STOP_OLD, ctx);
    }

    @Override
    public Outputs migrate(StepContext ctx) {
        return call(StepName.MIGRATE, ctx);
    }

    @Override
    public Outputs deploy(StepContext ctx) {
        return call(StepName.DEPLOY, ctx);
    }

    @Override
    public Outputs verify(StepContext ctx) {
        return call(StepName.VERIFY, ctx);
    }

    @Override
    public Outputs compensate(StepContext ctx, boolean restoreSnapshot) {
        lastRestoreFlag = restoreSnapshot;
        Outputs out = call(StepName.COMPENSATE, ctx);
        // unless scripted otherwise, compensation brings back (and has verified) the journal's previous release
        return out.values().containsKey("restored") ? out
                : Outputs.of("restored", ctx.previousRelease().map(StepContext.Release::runKey).orElse("none"));
    }

    /** Restores as scripted for {@link StepName#RESTORE} (by default: succeeds); {@link #restored()} lists the ids. */
    @Override
    public void restore(StepContext ctx, String id) {
        call(StepName.RESTORE, ctx);
        restored.add(id);
    }

    public List<String> restored() {
        return List.copyOf(restored);
    }
}
