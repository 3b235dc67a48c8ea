package dev.slipway.cli;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.target.SnapshotInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "snapshots", description = "Lists or restores the database snapshots Slipway took before deploys.",
        subcommands = {SnapshotsCommand.List.class, SnapshotsCommand.Restore.class})
final class SnapshotsCommand {
    private SnapshotsCommand() {
    }

    @Command(name = "list", description = "Lists snapshots, newest first.")
    static final class List implements Callable<Integer> {
        @Mixin
        ProjectOptions project;
        @Spec
        CommandSpec cmd;
        @Parameters(paramLabel = "STAGE", arity = "0..1", description = "Only this stage (default: all).")
        String stage;

        @Override
        public Integer call() {
            boolean json = project.json();
            SlipwaySpec spec = project.spec();
            if (stage != null) {
                Stages.require(spec, stage, project.file);
            }
            PrintWriter out = cmd.commandLine().getOut();
            try (Journal journal = ProjectOptions.journal(spec); Engine engine = ProjectOptions.engine(spec, journal)) {
                java.util.List<SnapshotInfo> all = new ArrayList<>();
                for (String s : stage == null ? spec.stages().keySet() : java.util.List.of(stage)) {
                    all.addAll(engine.snapshots(s));
                }
                if (json) {
                    out.println(Json.write(all));
                    return 0;
                }
                out.printf("%-36s %-12s %-6s %-14s %-22s %10s  %s%n", "ID", "STAGE", "RUN", "COMMIT", "CREATED", "BYTES", "DETAIL");
                for (SnapshotInfo s : all) {
                    out.printf("%-36s %-12s %-6s %-14s %-22s %10s  %s%n", s.id(), s.stage(), s.runId(),
                            s.commit().length() > 12 ? s.commit().substring(0, 12) : s.commit(), s.createdAt(),
                            s.sizeBytes() < 0 ? "-" : s.sizeBytes(), s.detail());
                }
            }
            return 0;
        }
    }

    @Command(name = "restore", description = {"Restores a snapshot into STAGE's database.",
            "This discards every write made since the snapshot; you are asked to confirm unless --yes."})
    static final class Restore implements Callable<Integer> {
        @Mixin
        ProjectOptions project;
        @Spec
        CommandSpec cmd;
        @Parameters(index = "0", paramLabel = "STAGE")
        String stage;
        @Parameters(index = "1", paramLabel = "ID")
        String id;
        /** Longer than any snapshot id a target makes (a pg_dump file name, an RDS snapshot identifier). */
        static final int MAX_ID = 255;
        @Option(names = "--yes", description = "Do not ask for confirmation.")
        boolean yes;

        @Override
        public Integer call() throws IOException {
            boolean json = project.json();
            SlipwaySpec spec = project.spec();
            Stages.require(spec, stage, project.file);
            if (id.isEmpty() || id.length() > MAX_ID || id.codePoints().anyMatch(c -> c < ' ' || c == 0x7f)) {
                throw new dev.slipway.core.SlipwayException(dev.slipway.core.ErrorCode.BAD_USAGE, "ID '" + Display.value(id)
                        + "' is not a snapshot id (1 to " + MAX_ID + " characters); slipway snapshots list " + stage + " shows them");
            }
            PrintWriter out = cmd.commandLine().getOut();
            try (Journal journal = ProjectOptions.journal(spec); Engine engine = ProjectOptions.engine(spec, journal)) {
                boolean known = engine.snapshots(stage).stream().anyMatch(s -> s.id().equals(id));
                if (!known) {
                    throw new dev.slipway.core.SlipwayException(dev.slipway.core.ErrorCode.BAD_USAGE, "no snapshot '" + Display.value(id)
                            + "' of stage " + stage + "; slipway snapshots list " + stage + " shows them");
                }
                if (!yes && !confirm(out)) {
                    out.println("not restored");
                    return 1;
                }
                engine.restore(stage, id, Who.current(), out::println);
                out.println("restored " + id + " into stage " + stage);
                if (json) {
                    out.println(Json.write(Map.of("restored", id, "stage", stage)));
                }
            }
            return 0;
        }

        private boolean confirm(PrintWriter out) throws IOException {
            out.print("Restore " + id + " into " + stage + "? Writes made since the snapshot are lost. Type the stage name to confirm: ");
            out.flush();
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return stage.equals(answer == null ? null : answer.trim());
        }
    }
}
