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

    /**
     * The files under {@code spec.baseDir()} that differ between commit {@code from} and {@code to}, as
     * {@code git diff --name-status} lines with paths relative to {@code spec.baseDir()} ({@code M\tdb/V2__x.sql},
     * {@code R100\told\tnew}); {@code from} null means everything in {@code to} is new. Empty when the source cannot
     * tell (no git objects): the engine then treats the migrations as unknown, i.e. breaking.
     */
    default java.util.Optional<java.util.List<String>> changes(SlipwaySpec spec, String from, String to) {
        return java.util.Optional.empty();
    }

    /**
     * The git tree id of {@code commit} ({@code git rev-parse COMMIT^{tree}}), read from the spec's repository or else
     * the requester's ({@code origin}, may be null). Empty when no repository at hand holds the commit.
     */
    default java.util.Optional<String> tree(SlipwaySpec spec, String commit, String origin) {
        return java.util.Optional.empty();
    }
}
