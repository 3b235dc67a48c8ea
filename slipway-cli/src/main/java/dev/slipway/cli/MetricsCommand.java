package dev.slipway.cli;

import dev.slipway.core.journal.Journal;
import dev.slipway.core.metrics.RunMetrics;
import dev.slipway.core.spec.SlipwaySpec;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "metrics", description = {"Prints the deploy metrics in the Prometheus text format, as a run pushes them.",
        "Computed from the whole journal: counters and histograms never go down."})
final class MetricsCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;
    @Spec
    CommandSpec cmd;
    @Option(names = "--stage", paramLabel = "STAGE", description = "Only this stage (default: every stage).")
    String stage;

    @Override
    public Integer call() {
        SlipwaySpec spec = project.spec();
        List<String> stages = Stages.selected(spec, stage, project.file);
        try (Journal journal = ProjectOptions.journal(spec)) {
            cmd.commandLine().getOut().print(RunMetrics.render(journal, spec.app(), stages, Clock.systemUTC().instant()));
            cmd.commandLine().getOut().flush();
        }
        return 0;
    }
}
