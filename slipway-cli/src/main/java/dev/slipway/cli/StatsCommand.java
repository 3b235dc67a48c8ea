package dev.slipway.cli;

import dev.slipway.core.engine.Durations;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.metrics.Dora;
import dev.slipway.core.spec.SlipwaySpec;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "stats", description = {"Prints the four DORA figures per stage, computed from the journal.",
        "A deployment is a succeeded deploy that changed the live commit; a failed change a deploy that was rolled back,",
        "needs attention, or was undone by slipway rollback. See docs/config.md, \"Metrics\"."})
final class StatsCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;
    @Spec
    CommandSpec cmd;
    @Option(names = "--stage", paramLabel = "STAGE", description = "Only this stage (default: every stage).")
    String stage;
    @Option(names = "--since", defaultValue = "30d", paramLabel = "WINDOW", converter = Numbers.Window.class,
            description = "How far back: 30d, 12h or 90m, up to " + Numbers.MAX_WINDOW_DAYS + "d (default: ${DEFAULT-VALUE}).")
    Duration since;

    @Override
    public Integer call() {
        SlipwaySpec spec = project.spec();
        List<String> stages = Stages.selected(spec, stage, project.file);
        Instant now = Clock.systemUTC().instant();
        Map<String, Dora> figures = new LinkedHashMap<>();
        try (Journal journal = ProjectOptions.journal(spec)) {
            for (String s : stages) {
                List<RunView> runs = journal.runs(s, Integer.MAX_VALUE).stream().filter(r -> r.app().equals(spec.app()))
                        .map(r -> RunView.of(r, journal.events(r.id()))).toList();
                figures.put(s, Dora.of(runs, now, since));
            }
        }
        PrintWriter out = cmd.commandLine().getOut();
        if (project.json()) {
            out.println(Json.write(figures.entrySet().stream().map(e -> json(e.getKey(), e.getValue())).toList()));
            return 0;
        }
        out.printf("%-14s %-7s %-12s %-12s %-15s %-14s%n", "STAGE", "WINDOW", "DEPLOYS/DAY", "LEAD TIME", "CHANGE FAILURE", "TIME TO RESTORE");
        figures.forEach((s, d) -> out.printf("%-14s %-7s %-12s %-12s %-15s %-14s%n", Display.value(s), Dora.label(d.window()),
                String.format(Locale.ROOT, "%.2f (%d)", d.deploymentsPerDay(), d.deployments()),
                d.leadTime().map(Durations::format).orElse("-"),
                d.changeFailureRatio().isPresent() ? String.format(Locale.ROOT, "%.0f%% (%d)", 100 * d.changeFailureRatio().getAsDouble(),
                        d.failedChanges()) : "-",
                d.timeToRestore().map(Durations::format).orElse("-")));
        return 0;
    }

    private static Map<String, Object> json(String stage, Dora d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", stage);
        m.put("window", Dora.label(d.window()));
        m.put("deployments", d.deployments());
        m.put("deploymentsPerDay", d.deploymentsPerDay());
        m.put("leadTimeSeconds", d.leadTime().map(t -> t.toMillis() / 1000.0).orElse(null));
        m.put("failedChanges", d.failedChanges());
        m.put("changeFailureRatio", d.changeFailureRatio().isPresent() ? d.changeFailureRatio().getAsDouble() : null);
        m.put("timeToRestoreSeconds", d.timeToRestore().map(t -> t.toMillis() / 1000.0).orElse(null));
        return m;
    }
}
