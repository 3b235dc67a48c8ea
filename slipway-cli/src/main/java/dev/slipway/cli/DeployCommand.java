package dev.slipway.cli;

import dev.slipway.core.journal.RunKind;
import dev.slipway.core.spec.SlipwaySpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "deploy", description = {"Deploys a commit to STAGE: build ∥ snapshot, [approval], stop old, migrate, deploy, verify.",
        "Waits while another run holds the stage; asking again for the same commit joins (or resumes) its run."})
final class DeployCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;
    @Spec
    CommandSpec cmd;
    @Parameters(paramLabel = "STAGE")
    String stage;
    @Option(names = "--commit", description = "The commit to deploy (default: GITHUB_SHA, else the checked-out HEAD).")
    String commit;
    @Option(names = "--requested-by", description = "Who asks (default: GITHUB_ACTOR, else USER).")
    String requestedBy;

    @Override
    public Integer call() {
        boolean json = project.json();
        SlipwaySpec spec = project.spec();
        String sha = commit != null ? commit : Git.head(spec.baseDir());
        String by = requestedBy != null ? requestedBy : Who.current();
        return RunDriver.drive(spec, stage, json, cmd.commandLine().getOut(), engine -> engine.request(stage, sha, RunKind.DEPLOY, by));
    }
}
