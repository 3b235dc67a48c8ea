package dev.slipway.cli;

import dev.slipway.core.spec.SlipwaySpec;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What every command about one stage shares: the project options, the STAGE argument, where output goes. */
abstract class StageCommand {
    @Mixin
    ProjectOptions project;
    @Spec
    CommandSpec cmd;
    @Parameters(index = "0", paramLabel = "STAGE")
    String stage;

    PrintWriter out() {
        return cmd.commandLine().getOut();
    }

    PrintWriter err() {
        return cmd.commandLine().getErr();
    }

    /** {@code --commit} for commands that take one. */
    static final class Commit {
        @Option(names = "--commit", description = "The commit (default: GITHUB_SHA, else the checked-out HEAD).")
        String sha;

        String orHead(SlipwaySpec spec) {
            return sha != null ? sha : Git.head(spec.baseDir());
        }
    }

    /** {@code --requested-by} for commands that start a run. */
    static final class Requester {
        @Option(names = "--requested-by", description = "Who asks (default: GITHUB_ACTOR, else USER).")
        String name;

        String orCurrent() {
            return name != null ? name : Who.current();
        }
    }
}
