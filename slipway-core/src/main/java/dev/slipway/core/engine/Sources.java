package dev.slipway.core.engine;

import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.spec.SlipwaySpec;
import java.nio.file.Path;

/**
 * Where a run's source comes from: the directory that holds the spec's base directory as of the run's commit. The
 * command line takes it from git objects ({@code git archive}); called only by steps that need the tree (build).
 */
@FunctionalInterface
public interface Sources {
    /** The working tree as it is, whatever commit is checked out: for tests and benchmarks that build no image. */
    Sources WORKING_TREE = (run, spec) -> spec.baseDir();

    /** The directory standing for {@code spec.baseDir()} as of {@code run.commit()}; fails with a TargetException. */
    Path sourceDir(RunRecord run, SlipwaySpec spec);
}
