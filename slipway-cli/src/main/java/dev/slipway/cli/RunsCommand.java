package dev.slipway.cli;

import dev.slipway.core.engine.Durations;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "runs", description = "Lists runs, newest first.")
final class RunsCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;
    @Spec
    CommandSpec cmd;
    @Option(names = "--stage", paramLabel = "STAGE", description = "Only runs of this stage.")
    String stage;
    @Option(names = "--limit", defaultValue = "20", paramLabel = "N", converter = Numbers.Limit.class,
            description = "How many, 1 to " + Numbers.MAX_LIMIT + " (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        boolean json = project.json();
        SlipwaySpec spec = project.spec();
        if (stage != null) {
            Stages.require(spec, stage, project.file);
        }
        PrintWriter out = cmd.commandLine().getOut();
        try (Journal journal = ProjectOptions.journal(spec)) {
            List<RunView> views = journal.runs(stage, limit).stream()
                    .map((RunRecord r) -> RunView.of(r, journal.events(r.id()))).toList();
            if (json) {
                out.println(Json.write(views.stream().map(Json::run).toList()));
                return 0;
            }
            out.printf("%-6s %-12s %-14s %-9s %-16s %-9s %s%n", "RUN", "STAGE", "COMMIT", "KIND", "STATE", "TOOK", "REASON");
            for (RunView v : views) {
                out.printf("%-6s %-12s %-14s %-9s %-16s %-9s %s%n", v.run().id(), v.run().stage(), shortSha(v.run().commit()),
                        v.run().kind().name().toLowerCase(), v.state(), v.duration().map(Durations::format).orElse("-"),
                        Display.line(v.reason(), 200)); // the first line; `slipway logs RUN` has the rest
            }
        }
        return 0;
    }

    private static String shortSha(String c) {
        return c.length() > 12 ? c.substring(0, 12) : c;
    }
}
