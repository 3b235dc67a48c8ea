package dev.slipway.core.engine;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepContext.Release;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.Target;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/** Drives one run from wherever its journal says it is to a terminal state, on a stage whose lease this process holds. */
final class RunExecution {
    private final String journalKey;
    private final RunRecord run;
    private final SlipwaySpec spec;
    private final StageSpec stage;
    private final Target target;
    private final Recorder recorder;
    private final StepRunner steps;
    private final ExecutorService pool;
    private final CancelToken cancel;
    private final Clock clock;
    private final UnaryOperator<String> env;
    private final Supplier<RunView> view;
    private final Optional<Release> previous;
    private final Approvals approvals;
    private final Releases releases;
    private final Map<StepName, Outputs> outputs = new ConcurrentHashMap<>();
    private final boolean parallel;

    RunExecution(String journalKey, RunRecord run, SlipwaySpec spec, Target target, Recorder recorder, StepRunner steps, ExecutorService pool,
                 CancelToken cancel, Clock clock, UnaryOperator<String> env, Supplier<RunView> view,
                 Releases releases, Approvals approvals, boolean parallel) {
        this.parallel = parallel;
        this.journalKey = journalKey;
        this.run = run;
        this.spec = spec;
        this.stage = spec.stage(run.stage()).orElseThrow();
        this.target = target;
        this.recorder = recorder;
        this.steps = steps;
        this.pool = pool;
        this.cancel = cancel;
        this.clock = clock;
        this.env = env;
        this.view = view;
        this.releases = releases;
        this.previous = releases.latest(run.stage(), run.id());
        this.approvals = approvals;
    }

    /** Runs to the end; returns the final state, or empty when the lease was lost and another process continues. */
    Optional<RunState> execute(String holder) {
        RunView start = view.get();
        if (start.state().isTerminal()) {
            return Optional.of(start.state());
        }
        start.steps().forEach((name, s) -> {
            if (s.state().equals("SUCCEEDED")) {
                outputs.put(StepName.fromId(name), new Outputs(s.outputs()));
            }
        });
        boolean resumed = start.events().stream().anyMatch(e -> e.type() == EventType.RUN_STARTED);
        recorder.event(resumed ? EventType.RUN_RESUMED : EventType.RUN_STARTED, null, "holder", holder, "commit", run.commit());
        if (start.state() == RunState.COMPENSATING) {
            return Optional.of(compensate(start.reason()));
        }
        try {
            beforeChange();
            afterChange();
            recorder.event(EventType.RUN_SUCCEEDED, null, "commit", run.commit());
            return Optional.of(RunState.SUCCEEDED);
        } catch (StepFailure f) {
            return Optional.of(fail(f.step().id() + " failed: " + f.getMessage()));
        } catch (RunCancelled c) {
            Thread.interrupted();
            if (!c.compensate()) {
                recorder.log(null, "stopped: " + c.getMessage() + "; the new holder resumes this run");
                return Optional.empty();
            }
            recorder.event(EventType.RUN_INTERRUPTED, null, "reason", c.getMessage());
            return Optional.of(fail(c.getMessage()));
        }
    }

    private void beforeChange() {
        if (stage.approvals().gated() || !parallel) {
            step(StepName.BUILD, spec.timeouts().build(), this::build);
            if (stage.approvals().gated()) {
                approval();
            }
            step(StepName.SNAPSHOT, spec.timeouts().snapshot(), target::snapshot);
        } else {
            parallel(StepName.BUILD, spec.timeouts().build(), this::build, StepName.SNAPSHOT, spec.timeouts().snapshot(),
                    target::snapshot);
        }
    }

    private void afterChange() {
        step(StepName.STOP_OLD, spec.timeouts().stop(), target::stopOld);
        if (run.kind() == RunKind.DEPLOY && spec.migrations().enabled()) {
            step(StepName.MIGRATE, spec.migrations().timeout(), target::migrate);
        }
        step(StepName.DEPLOY, spec.timeouts().deploy(), target::deploy);
        step(StepName.VERIFY, spec.health().timeout(), target::verify);
    }

    /** A rollback reuses the image that the release it goes back to was built with; a deploy builds. */
    private Outputs build(StepContext ctx) {
        if (run.kind() == RunKind.DEPLOY) {
            return target.build(ctx);
        }
        return releases.ofCommit(run.stage(), run.commit())
                .map(r -> {
                    ctx.log("reusing the image of run " + r.runId() + " (" + r.commit() + ")");
                    return r.build();
                })
                .orElseThrow(() -> dev.slipway.core.target.TargetException.permanent("no successful run of "
                        + run.stage() + " deployed " + run.commit() + "; nothing to roll back to"));
    }

    private void approval() {
        if (outputs.containsKey(StepName.APPROVAL)) {
            return;
        }
        String digest = outputs.get(StepName.BUILD).get("digest").orElse("");
        outputs.put(StepName.APPROVAL, steps.run(StepName.APPROVAL, true, stage.approvals().timeout(), this::context,
                ctx -> approvals.await(run, stage.approvals(), digest, recorder, cancel)));
    }

    private void step(StepName name, Duration timeout, Function<StepContext, Outputs> call) {
        if (outputs.containsKey(name)) {
            return;
        }
        outputs.put(name, steps.run(name, true, timeout, this::context, call));
    }

    private void parallel(StepName a, Duration ta, Function<StepContext, Outputs> ca,
                          StepName b, Duration tb, Function<StepContext, Outputs> cb) {
        Future<?> fa = pool.submit(() -> step(a, ta, ca));
        Future<?> fb = pool.submit(() -> step(b, tb, cb));
        try {
            awaitBoth(fa, fb);
        } catch (InterruptedException e) {
            fa.cancel(true);
            fb.cancel(true);
            awaitQuietly(fa);
            awaitQuietly(fb);
            throw cancel.exception();
        }
    }

    private static void awaitBoth(Future<?> fa, Future<?> fb) throws InterruptedException {
        RuntimeException failure = null;
        for (Future<?> f : new Future<?>[] {fa, fb}) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = (RuntimeException) e.getCause();
                    (f == fa ? fb : fa).cancel(true); // the other step stops too; its STEP_FAILED says it was cancelled
                }
            } catch (java.util.concurrent.CancellationException e) {
                // cancelled because the other one failed
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static void awaitQuietly(Future<?> f) {
        try {
            f.get();
        } catch (Exception ignored) {
            // already reported by the step itself
        }
    }

    private StepContext context(StepName current, int attempt, Instant deadline) {
        return new RunStepContext(journalKey, run, spec, current, attempt, name -> Optional.ofNullable(outputs.get(name)), previous,
                line -> recorder.log(current.id(), line), recorder.masker(), env, deadline, clock);
    }

    private RunState fail(String reason) {
        boolean touched = view.get().events().stream().anyMatch(e -> e.type() == EventType.STEP_STARTED
                && StepName.fromId(e.step()).changesStage());
        if (touched) {
            return compensate(reason);
        }
        recorder.event(EventType.RUN_FAILED, null, "reason", reason + "; nothing on stage " + stage.name() + " was changed");
        return RunState.FAILED;
    }

    private RunState compensate(String reason) {
        Thread.interrupted();
        if (view.get().state() != RunState.COMPENSATING) {
            recorder.event(EventType.COMPENSATION_STARTED, null, "reason", reason);
        }
        boolean restore = stage.snapshots().restoreOnFailure();
        try {
            steps.run(StepName.COMPENSATE, false, spec.timeouts().compensate(), this::context,
                    ctx -> target.compensate(ctx, restore));
            String back = previous.map(p -> "run " + p.runId() + " (" + p.commit() + ")").orElse("nothing (first deploy)");
            recorder.event(EventType.ROLLED_BACK, null, "reason", reason, "restored", back);
            return RunState.ROLLED_BACK;
        } catch (StepFailure f) {
            recorder.event(EventType.COMPENSATION_FAILED, null, "reason", f.getMessage());
            return RunState.NEEDS_ATTENTION;
        }
    }

}
