package dev.slipway.cli;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.spec.SlipwaySpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "plan", description = "Shows what a deploy of STAGE would do, step by step. Changes nothing.")
final class PlanCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;
    @Spec
    CommandSpec cmd;
    @Parameters(paramLabel = "STAGE")
    String stage;
    @Option(names = "--commit", description = "The commit to plan for (default: the checked-out HEAD).")
    String commit;

    @Override
    public Integer call() {
        boolean json = project.json();
        SlipwaySpec spec = project.spec();
        String sha = commit != null ? commit : Git.head(spec.baseDir());
        try (Journal journal = ProjectOptions.journal(spec); Engine engine = ProjectOptions.engine(spec, journal)) {
            List<String> lines = engine.plan(stage, sha);
            if (json) {
                cmd.commandLine().getOut().println(Json.write(Map.of("stage", stage, "commit", sha, "plan", lines)));
            } else {
                lines.forEach(cmd.commandLine().getOut()::println);
            }
        }
        return 0;
    }
}
