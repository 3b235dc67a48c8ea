package dev.slipway.cli;

import dev.slipway.core.spec.SlipwaySpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "rollback", description = {"Puts the release before the current one back on STAGE, with the image it was built with.",
        "Runs no migrations and leaves the database as it is (restore a snapshot separately if you must)."})
final class RollbackCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;
    @Spec
    CommandSpec cmd;
    @Parameters(paramLabel = "STAGE")
    String stage;
    @Option(names = "--requested-by", description = "Who asks (default: GITHUB_ACTOR, else USER).")
    String requestedBy;

    @Override
    public Integer call() {
        boolean json = project.json();
        SlipwaySpec spec = project.spec();
        String by = requestedBy != null ? requestedBy : Who.current();
        return RunDriver.drive(spec, stage, json, cmd.commandLine().getOut(), engine -> engine.requestRollback(stage, by));
    }
}
