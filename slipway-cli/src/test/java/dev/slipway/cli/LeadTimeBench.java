package dev.slipway.cli;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.engine.EngineOptions;
import dev.slipway.core.engine.RunListener;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lead time of real deploys with build ∥ snapshot against the same steps one after the other, alternating, on a
 * stage of the given project (bench/local/lead-time.sh runs it on the demo's stage). Args: SLIPWAY_YML STAGE ROUNDS.
 */
public final class LeadTimeBench {
    private LeadTimeBench() {
    }

    record Sample(boolean parallel, long runMs, long buildMs, long snapshotMs) {
    }

    public static void main(String[] args) throws Exception {
        SlipwaySpec spec = new SpecLoader().load(Path.of(args[0]));
        String stage = args[1];
        int rounds = Integer.parseInt(args[2]);
        List<Sample> samples = new ArrayList<>();
        try (Journal journal = ProjectOptions.journal(spec)) {
            for (int r = 0; r < rounds; r++) {
                for (boolean parallel : new boolean[] {true, false}) {
                    String commit = newCommit(spec.baseDir(), "bench round " + r + (parallel ? " parallel" : " sequential"));
                    EngineOptions options = EngineOptions.defaults(spec.state().leaseTtl());
                    try (Engine engine = new Engine(journal, spec, ProjectOptions.targets(spec), parallel ? options : options.sequential())) {
                        RunView v = engine.run(engine.request(stage, commit, RunKind.DEPLOY, "bench").id(), RunListener.NONE);
                        if (v.state() != RunState.SUCCEEDED) {
                            throw new IllegalStateException("bench run " + v.run().id() + " ended " + v.state() + ": " + v.reason());
                        }
                        Sample s = new Sample(parallel, v.duration().orElseThrow().toMillis(), ms(v, "build"), ms(v, "snapshot"));
                        samples.add(s);
                        System.out.printf("round %d %-10s run %5d ms  (build %5d ms, snapshot %5d ms)%n", r + 1,
                                parallel ? "parallel" : "sequential", s.runMs(), s.buildMs(), s.snapshotMs());
                    }
                }
            }
        }
        double par = mean(samples, true);
        double seq = mean(samples, false);
        System.out.printf("mean lead time: parallel %.0f ms, sequential %.0f ms; parallel/sequential = %.2f (%.0f ms saved)%n",
                par, seq, par / seq, seq - par);
    }

    private static long ms(RunView v, String step) {
        return v.step(step).flatMap(RunView.StepView::duration).orElseThrow().toMillis();
    }

    private static double mean(List<Sample> samples, boolean parallel) {
        return samples.stream().filter(s -> s.parallel() == parallel).mapToLong(Sample::runMs).average().orElse(0);
    }

    /** A commit that changes a file in the build context, so the image build cannot be served from cache. */
    private static String newCommit(Path repo, String message) throws Exception {
        java.nio.file.Files.writeString(repo.resolve("migrations/bench-round.txt"), message + " " + System.nanoTime() + "\n");
        run(repo, "git", "add", "migrations/bench-round.txt");
        run(repo, "git", "-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "-q", "-m", message);
        return Git.head(repo);
    }

    private static void run(Path dir, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed");
        }
    }
}
