package dev.slipway.core.engine;

import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext.Release;
import dev.slipway.core.target.StepName;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds releases, i.e. successful runs, of a stage in the journal. */
final class Releases {
    private final Journal journal;

    Releases(Journal journal) {
        this.journal = journal;
    }

    /** The newest {@code limit} releases of {@code stage}, newest first (from the runs' state rows: no history scan). */
    Stream<Release> all(String stage, int limit) {
        return journal.releases(stage, null, limit).stream().map(r -> release(RunView.of(r, journal.events(r.id()))));
    }

    /** The newest release of {@code stage} other than run {@code exceptRun}. */
    Optional<Release> latest(String stage, long exceptRun) {
        return all(stage, 2).filter(r -> r.runId() != exceptRun).findFirst();
    }

    /** The newest release of {@code stage} that deployed {@code commit}. */
    Optional<Release> ofCommit(String stage, String commit) {
        return journal.releases(stage, commit, 1).stream().map(r -> release(RunView.of(r, journal.events(r.id())))).findFirst();
    }

    Optional<RunRecord> run(long id) {
        return journal.run(id);
    }

    /** Run {@code run} as a release (it need not be one: the caller knows it succeeded). */
    Release of(RunRecord run) {
        return release(RunView.of(run, journal.events(run.id())));
    }

    /** A promoted run's promote step stands for its build: its outputs are the image the release runs. */
    private static Release release(RunView v) {
        RunRecord r = v.run();
        Outputs build = outputs(v, StepName.BUILD);
        return new Release(r.id(), r.key(), r.commit(), build.values().isEmpty() ? outputs(v, StepName.PROMOTE) : build,
                outputs(v, StepName.DEPLOY));
    }

    private static Outputs outputs(RunView v, StepName step) {
        return v.step(step.id()).map(s -> new Outputs(s.outputs())).orElse(Outputs.NONE);
    }
}
