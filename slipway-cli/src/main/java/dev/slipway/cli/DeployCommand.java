package dev.slipway.cli;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRequest;
import dev.slipway.core.spec.SlipwaySpec;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "deploy", description = {"Deploys a commit to STAGE: build ∥ snapshot, [approval], stop old, migrate, deploy, verify.",
        "The image is built from the commit's git objects, never from uncommitted changes; one image per commit.",
        "Waits while another run holds the stage; asking again for the same commit joins (or resumes) its run."})
final class DeployCommand extends StageCommand implements Callable<Integer> {
    @Mixin
    Commit commit;
    @Mixin
    Requester requester;
    @Option(names = "--image", paramLabel = "REF@sha256:DIGEST",
            description = "Deploy this image (built elsewhere, e.g. by an earlier CI job) instead of building; --commit says which commit it holds.")
    String image;

    @Override
    public Integer call() {
        Interrupts interrupts = Interrupts.install(err());
        boolean json = project.json();
        SlipwaySpec spec = specWithStage();
        project.checkTargets(spec, java.util.List.of(spec.requireStage(stage)), err());
        if (image != null && !image.matches("[a-z0-9][a-z0-9._:/-]{0,250}@sha256:[0-9a-f]{64}")) {
            throw new SlipwayException(ErrorCode.BAD_USAGE, "--image '" + Display.value(image) + "' must be"
                    + " REPOSITORY@sha256:<64 hex digits> (an image pinned by its digest)");
        }
        String sha = commit.orHead(spec);
        Optional<Git.Repo> repo = Git.repo(spec.baseDir());
        if (image == null && spec.requireStage(stage).promoteFrom() == null && repo.map(Git.Repo::dirty).orElse(false)) {
            err().println("note: the working tree has uncommitted changes; they are not deployed"
                    + " (Slipway builds commit " + sha.substring(0, Math.min(12, sha.length())) + " from git objects)");
        }
        String origin = repo.map(r -> r.gitDir().toString()).orElse(null);
        java.time.Instant committedAt = repo.flatMap(r -> r.commitTime(sha)).orElse(null);
        String by = requester.orCurrent();
        // made now: a stage whose target cannot be made (no AWS credentials) is refused with exit 2 before it is queued
        var targets = ProjectOptions.targetsWith(spec, stage);
        return RunDriver.drive(spec, stage, json, out(), interrupts, targets, engine -> engine.request(new RunRequest(spec.app(), stage, sha,
                RunKind.DEPLOY, by, image, origin).withCommittedAt(committedAt)));
    }
}
