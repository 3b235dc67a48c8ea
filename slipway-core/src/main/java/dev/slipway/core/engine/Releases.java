package dev.slipway.core.engine;

import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext.Release;
import dev.slipway.core.target.StepName;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds releases, i.e. successful runs, of a stage in the journal. */
final class Releases {
    private static final int SCAN = 200;
    private final Journal journal;

    Releases(Journal journal) {
        this.journal = journal;
    }

    /** Successful runs of {@code stage}, newest first; lazy, so a caller that wants the first reads little. */
    Stream<Release> all(String stage) {
        return journal.runs(stage, SCAN).stream()
                .map(r -> RunView.of(r, journal.events(r.id())))
                .filter(v -> v.state() == RunState.SUCCEEDED)
                .map(Releases::release);
    }

    /** The newest release of {@code stage} other than run {@code exceptRun}. */
    Optional<Release> latest(String stage, long exceptRun) {
        return all(stage).filter(r -> r.runId() != exceptRun).findFirst();
    }

    /** The newest release of {@code stage} that deployed {@code commit}. */
    Optional<Release> ofCommit(String stage, String commit) {
        return all(stage).filter(r -> r.commit().equals(commit)).findFirst();
    }

    private static Release release(RunView v) {
        RunRecord r = v.run();
        return new Release(r.id(), r.commit(), outputs(v, StepName.BUILD), outputs(v, StepName.DEPLOY));
    }

    private static Outputs outputs(RunView v, StepName step) {
        return v.step(step.id()).map(s -> new Outputs(s.outputs())).orElse(Outputs.NONE);
    }
}
