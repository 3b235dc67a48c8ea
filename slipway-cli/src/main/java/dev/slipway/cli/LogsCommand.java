package dev.slipway.cli;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.LogLine;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.spec.SlipwaySpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "logs", description = "Shows a run's events and log lines (migration output, waits, errors) in order.")
final class LogsCommand implements Callable<Integer> {
    @Mixin
    ProjectOptions project;
    @Spec
    CommandSpec cmd;
    @Parameters(paramLabel = "RUN", converter = Numbers.RunNumber.class, description = "The run number (see slipway runs).")
    long runId;

    @Override
    public Integer call() {
        boolean json = project.json();
        SlipwaySpec spec = project.spec();
        PrintWriter out = cmd.commandLine().getOut();
        try (Journal journal = ProjectOptions.journal(spec)) {
            RunRecord run = journal.run(runId).orElseThrow(() -> new SlipwayException(ErrorCode.BAD_USAGE,
                    "no run " + runId + " in the journal; slipway runs lists them"));
            List<JournalEvent> events = journal.events(runId);
            List<LogLine> logs = journal.logs(runId);
            if (json) {
                out.println(Json.write(Map.of("run", run.id(), "events", events.stream().map(Json::event).toList(),
                        "logs", logs.stream().map(Json::log).toList())));
                return 0;
            }
            PlainRenderer renderer = new PlainRenderer(out, run);
            List<Object> merged = new ArrayList<>(events);
            merged.addAll(logs);
            merged.sort(Comparator.comparing(o -> o instanceof JournalEvent e ? e.at() : ((LogLine) o).at()));
            for (Object o : merged) {
                if (o instanceof JournalEvent e) {
                    renderer.onEvent(e);
                } else {
                    renderer.onLog((LogLine) o);
                }
            }
        }
        return 0;
    }
}
