package dev.slipway.core.engine;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.LeaseLostException;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.migrations.MigrationClass;
import dev.slipway.core.spec.Strategy;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepContext.Release;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.Target;
import dev.slipway.core.target.TargetException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/** Drives one run from wherever its journal says it is to a terminal state, on a stage whose lease this process holds. */
final class RunExecution {
    /** Classifying reads git and a few files; it does not need the build's time. */
    private static final Duration CLASSIFY_TIMEOUT = Duration.ofMinutes(2);
    private final RunRecord run;
    private final SlipwaySpec spec;
    private final StageSpec stage;
    private final Target target;
    private final Recorder recorder;
    private final StepRunner steps;
    private final RunContexts contexts;
    private final Supplier<RunView> view;
    private final Optional<Release> previous;
    private final Approvals approvals;
    private final Releases releases;
    private final Map<StepName, Outputs> outputs;
    private final Parallel parallel;
    private final Sources sources;

    RunExecution(RunRecord run, SlipwaySpec spec, Target target, Recorder recorder, StepRunner steps, RunContexts contexts,
                 Supplier<RunView> view, Releases releases, Approvals approvals, Parallel parallel, Map<StepName, Outputs> outputs,
                 Sources sources) {
        this.sources = sources;
        this.outputs = outputs;
        this.run = run;
        this.spec = spec;
        this.stage = spec.stage(run.stage()).orElseThrow();
        this.target = target;
        this.recorder = recorder;
        this.steps = steps;
        this.contexts = contexts;
        this.view = view;
        this.releases = releases;
        this.previous = releases.latest(run.stage(), run.id());
        this.approvals = approvals;
        this.parallel = parallel;
    }

    /** Runs to the end; returns the final state, or empty when the lease was lost and another process continues. */
    Optional<RunState> execute(String holder) {
        try {
            return Optional.ofNullable(drive(holder));
        } catch (LeaseLostException lost) {
            return Optional.empty(); // nothing more is written: the new holder continues this run
        }
    }

    private RunState drive(String holder) {
        RunView start = view.get();
        if (start.state().isTerminal()) {
            return start.state();
        }
        start.steps().forEach((name, s) -> {
            if (s.state().equals("SUCCEEDED")) {
                outputs.put(StepName.fromId(name), new Outputs(s.outputs()));
            }
        });
        promotedImageIsTheBuild();
        boolean resumed = start.events().stream().anyMatch(e -> e.type() == EventType.RUN_STARTED);
        recorder.event(resumed ? EventType.RUN_RESUMED : EventType.RUN_STARTED, null, "holder", holder, "commit", run.commit(),
                "key", run.key());
        if (start.state() == RunState.COMPENSATING) {
            return compensate(start.reason());
        }
        Optional<String> interrupted = start.events().stream().filter(e -> e.type() == EventType.RUN_INTERRUPTED)
                .map(e -> e.get("reason")).findFirst();
        if (interrupted.isPresent()) { // a process was stopped by a signal and died before it could undo: undo now
            return fail(interrupted.get());
        }
        try {
            if (run.kind() == RunKind.RESTORE) {
                return restore();
            }
            Optional<String> refused = claim();
            if (refused.isPresent()) {
                return fail(refused.get());
            }
            beforeChange();
            if (run.kind() == RunKind.DEPLOY) {
                classify();
                preflight();
            }
            Optional<String> warning = afterChange();
            if (warning.isPresent()) {
                recorder.log(null, "warning: " + warning.get());
                recorder.event(EventType.RUN_SUCCEEDED, null, "commit", run.commit(), "warning", warning.get());
            } else {
                recorder.event(EventType.RUN_SUCCEEDED, null, "commit", run.commit());
            }
            return RunState.SUCCEEDED;
        } catch (StepFailure f) {
            return fail(f.step().id() + " failed: " + f.getMessage());
        } catch (RunCancelled c) {
            return cancelled(c);
        }
    }

    private RunState cancelled(RunCancelled c) {
        Thread.interrupted();
        if (!c.compensate()) {
            return leaseLost(c.getMessage());
        }
        recorder.event(EventType.RUN_INTERRUPTED, null, "reason", c.getMessage());
        return fail(c.getMessage());
    }

    /** Another process may hold the stage now: write nothing more, touch nothing more; it resumes this run. */
    private RunState leaseLost(String why) {
        quietLog("stopped: " + why + "; the process that holds the stage now resumes this run");
        return null;
    }

    /**
     * Before the stage is changed: the target refuses a stage that is served by work this journal cannot prove is its
     * own (deploys and rollbacks alike). Returns why, when it refuses.
     */
    private Optional<String> claim() {
        boolean changing = view.get().steps().keySet().stream().anyMatch(s -> StepName.fromId(s).changesStage());
        if (changing) {
            return Optional.empty();
        }
        try {
            target.claim(contexts.create(StepName.BUILD, 1, recorder.clock().instant().plus(Duration.ofMinutes(1))));
            return Optional.empty();
        } catch (TargetException e) {
            if (recorder.cancel().cancelled()) {
                throw recorder.cancel().exception();
            }
            return Optional.of("the stage is not this journal's to change: " + recorder.masker().mask(e.getMessage()));
        } catch (RuntimeException e) {
            // the check talks to the target on the driving thread: a signal's interrupt surfaces here as whatever the
            // client throws (an HTTP client's CancellationException, say); it is the signal, not a bug
            if (recorder.cancel().cancelled() || Thread.currentThread().isInterrupted()) {
                throw recorder.cancel().exception();
            }
            return Optional.of("could not check who serves stage " + stage.name() + ": " + recorder.masker().mask(
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        }
    }

    private void beforeChange() {
        Runnable image = run.promotedFrom() == null ? () -> step(StepName.BUILD, spec.timeouts().build(), this::build)
                : () -> {
                    step(StepName.PROMOTE, spec.timeouts().build(), this::promote);
                    promotedImageIsTheBuild();
                };
        if (stage.approvals().gated() || !parallel.enabled()) {
            image.run();
            if (stage.approvals().gated()) {
                approval();
            }
            step(StepName.SNAPSHOT, spec.timeouts().snapshot(), target::snapshot);
        } else {
            parallel.both(image, () -> step(StepName.SNAPSHOT, spec.timeouts().snapshot(), target::snapshot));
        }
    }

    /**
     * A promoted run builds nothing: the target's build is handed the image the source stage verified
     * ({@link StepContext#requestedImage()}), checks it is there (and on ecs registers the task definition), and the
     * step's outputs say where the image came from.
     */
    private Outputs promote(StepContext ctx) {
        RunRecord sourceRun = releases.run(run.promotedFrom()).orElseThrow(() -> new IllegalStateException(
                "run " + run.id() + " promotes run " + run.promotedFrom() + ", which the journal does not hold (bug)"));
        Release source = releases.of(sourceRun);
        String from = sourceRun.stage();
        String digest = source.build().get("digest").orElse(run.image());
        ctx.log("promoting " + from + "'s " + digest + " (run " + source.runId() + ", commit " + source.commit()
                + ", verified there); nothing is built");
        Map<String, String> out = new java.util.LinkedHashMap<>(target.build(ctx).values());
        out.put("promotedFromStage", from);
        out.put("promotedFromRun", Long.toString(source.runId()));
        out.put("promotedFromCommit", source.commit());
        out.put("promotedDigest", digest);
        return new Outputs(out);
    }

    /** Later steps (and targets) read the image from the build's outputs; in a promoted run the promote step made it. */
    private void promotedImageIsTheBuild() {
        Outputs promoted = outputs.get(StepName.PROMOTE);
        if (promoted != null) {
            outputs.putIfAbsent(StepName.BUILD, promoted);
        }
    }

    /**
     * Classifies the pending migrations and picks the strategy (journaled: a resumed run keeps its order). A run that
     * changed the stage before it was ever classified (begun by an older Slipway) goes on stop-first, as it began.
     */
    private void classify() {
        if (outputs.containsKey(StepName.CLASSIFY) || view.get().steps().keySet().stream().anyMatch(s -> StepName.fromId(s).changesStage())) {
            return;
        }
        step(StepName.CLASSIFY, CLASSIFY_TIMEOUT, ctx -> {
            Assessment a = Assessment.of(spec, stage, sources, previous.map(Release::commit).orElse(null), run.commit(),
                    ctx::sourceDir, target.onlineUnsupported(stage));
            ctx.log(a.why());
            a.reasons().stream().limit(Assessment.SHOWN).forEach(r -> ctx.log("  " + r));
            return a.outputs();
        });
    }

    /**
     * Runs the migrations on a scratch copy first, where the target can, when there are any and the stage does not say
     * {@code preflight: false}. A schema diff that drops or alters makes the run breaking whatever the static class said;
     * {@code unchecked} (and a diff that only adds) leaves the static class, which also sees what a diff cannot (data
     * rewrites, locks). The final strategy is journaled with the preflight's outputs, where {@link StepContext#strategy()}
     * looks first.
     */
    private void preflight() {
        Optional<Assessment> classified = Optional.ofNullable(outputs.get(StepName.CLASSIFY)).flatMap(Assessment::from);
        if (classified.isEmpty() || classified.get().cls() == MigrationClass.NONE || Boolean.FALSE.equals(stage.preflight())) {
            return;
        }
        Assessment before = classified.get();
        Optional<String> unsupported = target.preflightUnsupported(stage);
        step(StepName.PREFLIGHT, spec.migrations().timeout(), ctx -> {
            if (unsupported.isPresent()) {
                ctx.log("no preflight: " + unsupported.get() + "; " + before.why());
                return new Outputs(Map.of("schema", "unchecked", "reason", unsupported.get()));
            }
            Outputs said = target.preflight(ctx);
            String schema = said.get("schema").orElse("unchecked");
            Assessment after = before;
            if ("breaking".equals(schema)) {
                List<String> reasons = new java.util.ArrayList<>();
                reasons.add("the preflight's schema diff drops or alters what the old release uses"
                        + said.get("diff").filter(d -> !d.isBlank()).map(d -> ": " + d.strip().replace('\n', ';')).orElse(""));
                reasons.addAll(before.reasons());
                after = Assessment.decide(stage, MigrationClass.BREAKING, reasons, before.pending(), target.onlineUnsupported(stage));
            } else if (!List.of("none", "expand", "unchecked").contains(schema)) {
                ctx.log("the target's preflight said schema '" + schema + "', which Slipway does not know; keeping the static class");
            }
            if (after != before) {
                ctx.log("preflight: " + after.why());
            } else {
                ctx.log("preflight: schema " + schema + "; " + before.why());
            }
            Map<String, String> out = new java.util.LinkedHashMap<>(said.values());
            out.putAll(after.outputs().values());
            out.put("schema", schema);
            return new Outputs(out);
        });
    }

    /** This run's strategy as journaled: the preflight's decision, else the classification's; stop-first before either. */
    private Strategy strategy() {
        return java.util.stream.Stream.of(StepName.PREFLIGHT, StepName.CLASSIFY)
                .map(outputs::get).filter(java.util.Objects::nonNull)
                .map(o -> o.get("strategy").flatMap(Strategy::fromId).filter(s -> s != Strategy.AUTO))
                .flatMap(Optional::stream).findFirst().orElse(Strategy.STOP_FIRST);
    }

    /**
     * Stop-first: stop-old → migrate → deploy → verify. Online: migrate → deploy → verify → stop-old, the old release
     * serving until the new one is verified. Returns a warning when the run succeeded with something left to do.
     */
    private Optional<String> afterChange() {
        boolean migrate = run.kind() == RunKind.DEPLOY && spec.migrations().enabled();
        if (strategy() == Strategy.ONLINE) {
            if (migrate) {
                step(StepName.MIGRATE, spec.migrations().timeout(), target::migrate);
            }
            step(StepName.DEPLOY, spec.timeouts().deploy(), target::deploy);
            step(StepName.VERIFY, spec.health().timeout(), target::verify);
            try {
                step(StepName.STOP_OLD, spec.timeouts().stop(), target::stopOld);
            } catch (StepFailure f) {
                // the new release is verified and serving: undoing it would cause the outage the online run avoided
                return Optional.of("the new release " + run.commit() + " is verified and serving, but stopping the old one failed: "
                        + f.getMessage() + ". Stop what is left of " + servedBefore().orElse("the old release")
                        + " by hand (its instances carry " + previous.map(p -> "run key " + p.runKey()).orElse("an older run's key")
                        + "); the next deploy does not stop it");
            }
            return Optional.empty();
        }
        step(StepName.STOP_OLD, spec.timeouts().stop(), target::stopOld);
        if (migrate) {
            step(StepName.MIGRATE, spec.migrations().timeout(), target::migrate);
        }
        step(StepName.DEPLOY, spec.timeouts().deploy(), target::deploy);
        step(StepName.VERIFY, spec.health().timeout(), target::verify);
        return Optional.empty();
    }

    /** A rollback reuses the image that the release it goes back to was built with; a deploy builds (or reuses). */
    private Outputs build(StepContext ctx) {
        if (run.kind() == RunKind.DEPLOY) {
            return target.build(ctx);
        }
        return releases.ofCommit(run.stage(), run.commit())
                .map(r -> {
                    ctx.log("reusing the image of run " + r.runId() + " (" + r.commit() + ")");
                    return r.build();
                })
                .orElseThrow(() -> TargetException.permanent("no successful run of "
                        + run.stage() + " deployed " + run.commit() + "; nothing to roll back to"));
    }

    private RunState restore() {
        try {
            step(StepName.RESTORE, spec.timeouts().snapshot(), ctx -> {
                target.restore(ctx, snapshotId());
                return Outputs.of("snapshot", snapshotId());
            });
        } catch (StepFailure f) {
            return fail(f.getMessage());
        }
        recorder.event(EventType.RUN_SUCCEEDED, null, "snapshot", snapshotId());
        return RunState.SUCCEEDED;
    }

    private String snapshotId() {
        return run.commit().substring(run.commit().indexOf(':') + 1);
    }

    /** A restore that started and did not finish (failed, or was interrupted) may have left the database half restored. */
    private RunState restoreFailed(String reason) {
        recorder.event(EventType.COMPENSATION_FAILED, null, "reason", "restoring snapshot " + snapshotId() + " failed: " + reason
                + "; the database of stage " + stage.name() + " may be partly restored: restore it again");
        return RunState.NEEDS_ATTENTION;
    }

    private void approval() {
        if (outputs.containsKey(StepName.APPROVAL)) {
            return;
        }
        String digest = outputs.get(StepName.BUILD).get("digest").orElse("");
        // the wait ends approvals.timeout after approval was first requested (journaled), not after this process began
        // it: a resumed run waits only what is left, and past the deadline fails at once, unless it was approved in time
        Duration timeout = stage.approvals().timeout();
        Instant deadline = view.get().events().stream().filter(e -> e.type() == EventType.APPROVAL_REQUESTED).findFirst()
                .map(e -> e.at().plus(timeout)).filter(d -> !approvals.openedBy(run, stage.approvals(), d)).orElse(null);
        outputs.put(StepName.APPROVAL, steps.run(StepName.APPROVAL, true, timeout, deadline, contexts,
                ctx -> approvals.await(run, stage.approvals(), digest, recorder, recorder.cancel())));
    }

    private void step(StepName name, Duration timeout, Function<StepContext, Outputs> call) {
        if (outputs.containsKey(name)) {
            return;
        }
        outputs.put(name, steps.run(name, true, timeout, contexts, call));
    }

    private RunState fail(String reason) {
        List<JournalEvent> events = view.get().events();
        if (run.kind() == RunKind.RESTORE && events.stream().anyMatch(e -> e.type() == EventType.STEP_STARTED)) {
            return restoreFailed(reason);
        }
        boolean touched = events.stream().anyMatch(e -> e.type() == EventType.STEP_STARTED
                && StepName.fromId(e.step()).changesStage());
        if (touched) {
            return compensate(reason);
        }
        recorder.event(EventType.RUN_FAILED, null, "reason", reason + "; nothing on stage " + stage.name() + " was changed");
        return RunState.FAILED;
    }

    /**
     * Brings the previous release back. The run ends ROLLED_BACK only when the target verified what it started, or when
     * nothing served the stage before this run either; a previous release that was not brought back needs a person.
     */
    private RunState compensate(String reason) {
        Thread.interrupted();
        if (recorder.cancel().leaseLost()) { // given up as the step failed: whoever holds the stage now compensates
            return leaseLost(recorder.cancel().exception().getMessage());
        }
        boolean restore = stage.snapshots().restoreOnFailure();
        String why = reason;
        if (view.get().state() != RunState.COMPENSATING) { // a resumed compensation's reason already says it
            why = reason + onlineNote(restore);
            recorder.event(EventType.COMPENSATION_STARTED, null, "reason", why);
        }
        Outputs out;
        try {
            out = steps.run(StepName.COMPENSATE, false, spec.timeouts().compensate(), contexts, ctx -> target.compensate(ctx, restore));
        } catch (StepFailure f) {
            recorder.event(EventType.COMPENSATION_FAILED, null, "reason", f.getMessage());
            return RunState.NEEDS_ATTENTION;
        } catch (RunCancelled c) {
            quietLog("stopped compensating: " + c.getMessage() + "; the process that holds the stage now resumes it");
            return null;
        }
        String restored = out.get("restored").orElse("none");
        Optional<String> before = servedBefore();
        if ("none".equals(restored) && before.isPresent()) {
            recorder.event(EventType.COMPENSATION_FAILED, null, "reason", before.get() + " served stage " + stage.name()
                    + " before this run, but nothing was brought back: the stage has no server. Deploy a release again"
                    + " (`slipway deploy " + stage.name() + " --commit " + previous.map(Release::commit).orElse("SHA") + "`)");
            return RunState.NEEDS_ATTENTION;
        }
        String back = "none".equals(restored) ? "nothing (nothing served the stage before this run)"
                : previous.map(p -> "run " + p.runId() + " (" + p.commit() + ")").orElse(restored);
        recorder.event(EventType.ROLLED_BACK, null, "reason", why, "restored", back);
        return RunState.ROLLED_BACK;
    }

    /**
     * What an online run that failed before stop-old leaves behind, plainly: the old release never stopped, and its
     * migrations (expand-only, or the run would not be online) stay applied unless the snapshot was restored.
     */
    private String onlineNote(boolean restored) {
        List<JournalEvent> events = view.get().events();
        java.util.function.Predicate<StepName> started = s -> events.stream()
                .anyMatch(e -> e.type() == EventType.STEP_STARTED && s.id().equals(e.step()));
        if (strategy() != Strategy.ONLINE || started.test(StepName.STOP_OLD)) {
            return "";
        }
        String note = servedBefore().isPresent() ? "; the old release kept serving throughout" : "";
        if (started.test(StepName.MIGRATE)) {
            note += restored ? "; the database was restored from the run's snapshot"
                    : "; the database keeps the expanded schema of " + run.commit() + " (migrations are not undone)";
        }
        return note;
    }

    /** What served the stage before this run: the journal's previous release, or whatever stop-old found running. */
    private Optional<String> servedBefore() {
        if (previous.isPresent()) {
            return previous.map(p -> "run " + p.runId() + " (" + p.commit() + ")");
        }
        return Optional.ofNullable(outputs.get(StepName.STOP_OLD))
                .or(() -> view.get().step(StepName.STOP_OLD.id()).filter(s -> s.state().equals("SUCCEEDED")).map(s -> new Outputs(s.outputs())))
                .flatMap(o -> o.get("previous").filter(p -> !p.isEmpty() && !p.equals("none")).map(p -> "release " + p)
                        .or(() -> o.get("stopped").filter(n -> !n.equals("0")).map(n -> n + " instance(s) of an earlier release")));
    }

    /** Says why this process stops, to its own output only: the journal of the run now belongs to the new holder. */
    private void quietLog(String line) {
        recorder.notice(null, line);
    }

    /** Makes the context of one attempt of a step of this run. */
    @FunctionalInterface
    interface RunContexts extends StepRunner.Contexts {
    }

    /** Runs build and snapshot at once (or one after the other when disabled), and returns only when both have ended. */
    interface Parallel {
        boolean enabled();

        void both(Runnable a, Runnable b);
    }
}
