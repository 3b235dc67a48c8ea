package dev.slipway.cli;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.spec.SlipwaySpec;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "approve", description = {"Approves a run waiting for approval (its built digest).",
        "The requester may not approve their own run unless the stage allows it."})
final class ApproveCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;
    @Spec
    CommandSpec cmd;
    @Parameters(paramLabel = "RUN", converter = Numbers.RunNumber.class, description = "The run number (see slipway runs).")
    long runId;
    @Option(names = "--as", paramLabel = "NAME", description = "Who approves (default: GITHUB_ACTOR, else USER).")
    String as;

    @Override
    public Integer call() {
        SlipwaySpec spec = project.spec();
        String by = as != null ? Who.check("--as", as) : Who.current();
        try (Journal journal = ProjectOptions.journal(spec); Engine engine = ProjectOptions.engine(spec, journal)) {
            engine.approve(runId, by);
            cmd.commandLine().getOut().println("run " + runId + " approved by " + by);
        }
        return 0;
    }
}
