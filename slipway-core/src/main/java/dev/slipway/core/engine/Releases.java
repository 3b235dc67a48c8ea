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

    private static Release release(RunView v) {
        RunRecord r = v.run();
        return new Release(r.id(), r.key(), r.commit(), outputs(v, StepName.BUILD), outputs(v, StepName.DEPLOY));
    }

    private static Outputs outputs(RunView v, StepName step) {
        return v.step(step.id()).map(s -> new Outputs(s.outputs())).orElse(Outputs.NONE);
    }
}
