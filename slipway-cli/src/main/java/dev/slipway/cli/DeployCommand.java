package dev.slipway.cli;

import dev.slipway.core.journal.RunKind;
import dev.slipway.core.spec.SlipwaySpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "deploy", description = {"Deploys a commit to STAGE: build ∥ snapshot, [approval], stop old, migrate, deploy, verify.",
        "Waits while another run holds the stage; asking again for the same commit joins (or resumes) its run."})
final class DeployCommand extends StageCommand implements Callable<Integer> {
    @Mixin
    Commit commit;
    @Mixin
    Requester requester;

    @Override
    public Integer call() {
        Interrupts interrupts = Interrupts.install(err());
        boolean json = project.json();
        SlipwaySpec spec = project.spec();
        String sha = commit.orHead(spec);
        String by = requester.orCurrent();
        return RunDriver.drive(spec, stage, json, out(), interrupts, engine -> engine.request(stage, sha, RunKind.DEPLOY, by));
    }
}
