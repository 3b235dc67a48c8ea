package dev.slipway.cli;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.engine.ApprovalSource;
import dev.slipway.core.engine.Engine;
import dev.slipway.core.engine.RunListener;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.github.ActionsApprovals;
import dev.slipway.github.GithubApi;
import dev.slipway.github.GithubDeploymentReporter;
import dev.slipway.github.GithubSettings;
import dev.slipway.github.ProductionGate;
import java.io.PrintWriter;
import java.util.function.Function;

/** Drives a requested run to its end in this process: renders it, turns SIGINT/SIGTERM into a compensating cancel. */
final class RunDriver {
    private RunDriver() {
    }

    /** {@code interrupts} must be installed already: a signal from here on never leaves a queued run behind. */
    static int drive(SlipwaySpec spec, String stageName, boolean json, PrintWriter out, Interrupts interrupts,
                     Function<Engine, RunRecord> request) {
        return drive(spec, stageName, json, out, interrupts, ProjectOptions.targets(spec), request);
    }

    /** As above, with the stages' targets from {@code targets} (made up front, to refuse a stage before it is queued). */
    static int drive(SlipwaySpec spec, String stageName, boolean json, PrintWriter out, Interrupts interrupts,
                     Function<StageSpec, dev.slipway.core.target.Target> targets, Function<Engine, RunRecord> request) {
        StageSpec stage = spec.requireStage(stageName);
        GithubSettings github = GithubSettings.fromEnv(System::getenv);
        GithubApi api = github.usable() ? GithubApi.create(github) : null;
        ProductionGate.Decision gate = ProductionGate.decide(stage, github, api);
        if (!gate.allowed()) {
            out.println(gate.message());
            return ErrorCode.BAD_USAGE.exitCode();
        }
        if (gate.report() != null) {
            out.println(gate.message());
        }
        // in GitHub Actions the environment's reviews are the stage's approvals, checked before the run is queued
        ApprovalSource approvals = ActionsApprovals.fromEnv(System::getenv, github);
        try (Journal journal = ProjectOptions.journal(spec); Engine engine = ProjectOptions.engine(spec, journal, targets, approvals)) {
            interrupts.cancelThrough(engine::cancel);
            RunRecord run = request.apply(engine);
            RunListener renderer = json ? RunListener.NONE
                    : System.console() != null && System.getenv("SLIPWAY_PLAIN") == null
                    ? new LiveRenderer(out, run) : new PlainRenderer(out, run);
            GithubDeploymentReporter reporter = api == null ? null : GithubDeploymentReporter.start(api, github.repository(),
                    GithubDeploymentReporter.Deployment.of(run, stage, github.logUrl(), null));
            RunView view;
            try {
                view = engine.run(run.id(), reporter == null ? renderer : Listeners.both(renderer, reporter));
            } finally {
                // a cancel interrupts this thread to end the engine's wait; that is done, and GitHub must still hear the end
                Thread.interrupted();
                if (renderer instanceof AutoCloseable c) {
                    closeQuietly(c);
                }
                if (reporter != null) {
                    reporter.close();
                }
            }
            new AfterRun(spec, System::getenv, java.time.Clock.systemUTC(), out).report(journal, view);
            if (json) {
                out.println(Json.write(Json.run(view)));
            } else {
                out.println(Summary.of(view));
            }
            return view.state().isTerminal() ? view.state().exitCode() : 3;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // rendering only
        }
    }
}
