package dev.slipway.core.target;

import java.util.List;

/**
 * A place Slipway deploys to (the local Docker/Podman engine, AWS ECS). The engine calls the steps in this order,
 * on one stage at a time, journaling each step's start, success with its {@link Outputs}, or failure:
 *
 * <pre>
 *   build ∥ snapshot → [approval] → stopOld → migrate → deploy → verify
 *                                     └─ on a failure from here on: compensate
 * </pre>
 *
 * <p>Rules for implementations:
 * <ul>
 *   <li>Every step is idempotent under {@link StepContext#runId()} (see {@link StepContext}).</li>
 *   <li>Report failures as {@link TargetException}, transient only when repeating may help. Messages say what
 *       failed, on which resource, and what the user can do. Never put a secret in a message or an output.</li>
 *   <li>Respond to thread interruption (the run was cancelled or timed out): stop waiting and throw.</li>
 *   <li>Wait by polling with backoff until {@link StepContext#deadline()}, never with a fixed long sleep.</li>
 *   <li>A failure before {@code stopOld} must leave the stage unchanged.</li>
 * </ul>
 */
public interface Target {
    /**
     * Called once before a run's first step, on every attempt: refuses ({@link TargetException#permanent}) when the
     * stage is served by work this journal cannot prove is its own (another journal's containers, say), naming what was
     * found and how to point Slipway at the journal that owns it. Must change nothing.
     */
    default void claim(StepContext ctx) {
    }

    /**
     * Builds the image of {@code ctx.commit()} from {@code ctx.sourceDir()}, or reuses {@code ctx.requestedImage()} or
     * {@code ctx.earlierBuild()} when that image is still available; outputs include {@code image} (a pullable
     * reference) and {@code digest}. Images carry the commit, never the run, so one commit gives one image.
     */
    Outputs build(StepContext ctx);

    /** Snapshots the stage database; outputs include {@code snapshot} (an id {@code snapshots restore} accepts). */
    Outputs snapshot(StepContext ctx);

    /**
     * Stops the old server instances gracefully. Outputs must describe what was running (image, replica count…) so
     * that {@link #compensate} can bring it back even from a different process.
     */
    /**
     * Why {@code deploy --image image} (a reference pinned by digest) cannot be deployed to {@code stage}, asked before the
     * request is queued so that it is refused (exit 2) before anything runs; empty when it can. Reads only. By default
     * every image can: the build step then takes it or fails.
     */
    default java.util.Optional<String> imageRefused(dev.slipway.core.spec.StageSpec stage, String image) {
        return java.util.Optional.empty();
    }

    /**
     * Whether this target can serve the old and the new release of {@code stage} side by side and switch traffic
     * between them, which the online strategy needs. Empty when it can; otherwise why not (then {@code auto} picks
     * stop-first and {@code strategy: online} fails before anything changes). A target opts in by overriding this:
     * by default it cannot, so a target that never heard of the online order keeps the stop-first one.
     */
    default java.util.Optional<String> onlineUnsupported(dev.slipway.core.spec.StageSpec stage) {
        return java.util.Optional.of("the " + stage.target() + " target cannot serve two releases side by side");
    }

    /**
     * Runs the new image's migrations against a scratch copy of the stage's database made from this run's snapshot,
     * before anything stops, and always removes the copy. A failing migration throws a permanent TargetException
     * quoting its output (nothing has changed then). Outputs {@code schema}: {@code none}, {@code expand} or
     * {@code breaking} from comparing the schema before and after, or {@code unchecked} when the target cannot.
     */
    default Outputs preflight(StepContext ctx) {
        return Outputs.of("schema", "unchecked");
    }

    /**
     * Whether this target runs {@link #preflight} on {@code stage} when the stage does not say {@code preflight: false}.
     * Empty when it does; otherwise why not, which {@code slipway plan} and the run's log show instead (the engine then
     * does not call {@link #preflight}). A target opts in by overriding this.
     */
    default java.util.Optional<String> preflightUnsupported(dev.slipway.core.spec.StageSpec stage) {
        return java.util.Optional.of("the " + stage.target() + " target has no preflight");
    }

    Outputs stopOld(StepContext ctx);

    /** Runs the migration command from the NEW image ({@code outputsOf(BUILD)}); a non-zero exit fails the step. */
    Outputs migrate(StepContext ctx);

    /** Starts the new image with the stage environment; outputs identify what was started. */
    Outputs deploy(StepContext ctx);

    /** Waits until every replica of the new release is healthy, or fails at the deadline. */
    Outputs verify(StepContext ctx);

    /**
     * Brings the previous version back after a failure at or after {@code stopOld}: removes whatever the run
     * started, starts what {@code outputsOf(STOP_OLD)} describes, and waits until it is healthy. Restores the
     * snapshot first only when {@code restoreSnapshot} is true. Must be safe to call again after a crash.
     * Outputs must include {@code restored}: the run key of the release now serving, verified healthy, or {@code none}
     * when nothing was started (the engine then ends the run ROLLED_BACK only if nothing was serving before either).
     * Never removes the previous release's instances before a new release is verified.
     */
    Outputs compensate(StepContext ctx, boolean restoreSnapshot);

    /** What each step would do on this stage, for {@code slipway plan}; must change nothing. */
    default List<String> plan(StepContext ctx) {
        return List.of();
    }

    /** Slipway's snapshots of the stage in {@code ctx}, newest first. */
    default List<SnapshotInfo> snapshots(StepContext ctx) {
        return List.of();
    }

    /**
     * Restores snapshot {@code id} into the stage database (local) or into a new instance (ecs, printing how to
     * switch). Discards writes made since the snapshot; the CLI asks the user first.
     */
    default void restore(StepContext ctx, String id) {
        throw TargetException.permanent("this target cannot restore snapshots");
    }
}
