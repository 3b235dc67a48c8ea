package dev.slipway.cli;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.spec.SlipwaySpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "plan", description = "Shows what a deploy of STAGE would do, step by step. Changes nothing.")
final class PlanCommand extends StageCommand implements Callable<Integer> {
    @Mixin
    Commit commit;

    @Override
    public Integer call() {
        boolean json = project.json();
        SlipwaySpec spec = specWithStage();
        project.checkTargets(spec, List.of(spec.requireStage(stage)), err());
        String sha = commit.orHead(spec);
        var targets = ProjectOptions.targetsWith(spec, stage);
        try (Journal journal = ProjectOptions.journal(spec); Engine engine = ProjectOptions.engine(spec, journal, targets)) {
            List<String> lines = engine.plan(stage, sha);
            if (json) {
                out().println(Json.write(Map.of("stage", stage, "commit", sha, "plan", lines)));
            } else {
                lines.forEach(out()::println);
            }
        }
        return 0;
    }
}
