package dev.slipway.core.engine;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunRequest;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext.Release;
import java.util.Optional;

/**
 * What a stage with {@code promote-from} deploys: the image that the other stage (in the same journal) built and
 * verified for the same git tree, i.e. the same commit or one with the same tree (a fast-forward, or a merge that only
 * brings main's tree along). Such a stage never builds; a tree the other stage never verified is refused.
 */
final class Promotion {
    private final Journal journal;
    private final Releases releases;

    Promotion(Journal journal, Releases releases) {
        this.journal = journal;
        this.releases = releases;
    }

    /** The verified release of {@code st}'s source stage for {@code tree}, if there is one. */
    Optional<Release> source(StageSpec st, String tree) {
        return tree == null ? Optional.empty() : journal.verified(st.promoteFrom(), tree).map(releases::of);
    }

    /** {@code request} (a deploy to {@code st}) made to deploy the source stage's verified image; refused with exit 2. */
    RunRequest resolve(StageSpec st, RunRequest request) {
        String from = st.promoteFrom();
        if (request.image() != null) {
            throw refused("stage " + st.name() + " deploys the image stage " + from + " verified (promote-from: " + from
                    + "); it takes no --image. Deploy without --image");
        }
        if (request.tree() == null) {
            throw refused("stage " + st.name() + " promotes from " + from + " by git tree, but no repository at hand holds commit "
                    + request.commit() + " to read its tree: run slipway in a checkout that has it (git fetch)");
        }
        Release source = source(st, request.tree()).orElseThrow(() -> refused("stage " + from + " never verified the tree of commit "
                + request.commit() + " (tree " + request.tree() + "): no successful run of " + from + " deployed it or a commit with"
                + " the same tree, and stage " + st.name() + " promotes from " + from + " and never builds. Deploy it to " + from
                + " first (`slipway deploy " + from + " --commit " + request.commit() + "`), then deploy " + st.name() + " again"));
        return request.promoted(reference(source), source.runId());
    }

    /** The line of {@code plan} that stands for the build. */
    String planLine(StageSpec st, String commit, String tree) {
        return source(st, tree).map(r -> "promote " + st.promoteFrom() + "'s " + r.build().get("digest").orElse(reference(r)) + " (run "
                        + r.runId() + ", commit " + r.commit() + "), no build")
                .orElse("refuse: stage " + st.promoteFrom() + " never verified the tree of " + commit
                        + (tree == null ? " (its tree cannot be read here)" : " (tree " + tree + ")") + "; deploy it there first");
    }

    /**
     * The image of a release as the target's build takes it back: a reference pinned by digest where the build made
     * one (pushed images), else the engine's image id (local images, which have no registry digest).
     */
    static String reference(Release r) {
        Outputs b = r.build();
        return b.get("image").filter(i -> i.contains("@sha256:"))
                .or(() -> b.get("imageId"))
                .or(() -> b.get("image").flatMap(i -> b.get("digest").map(d -> i + "@" + d)))
                .orElseThrow(() -> refused("run " + r.runId() + " journaled no image to promote (its build outputs are "
                        + b.values().keySet() + ")"));
    }

    private static SlipwayException refused(String message) {
        return new SlipwayException(ErrorCode.BAD_USAGE, message);
    }
}
