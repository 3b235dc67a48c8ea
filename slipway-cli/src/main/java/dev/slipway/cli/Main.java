package dev.slipway.cli;

import dev.slipway.core.SlipwayException;
import java.io.PrintWriter;
import picocli.CommandLine;

/** The {@code slipway} command line. Exit codes: 0 ok, 1 run failed (rolled back), 2 bad usage or config, 3 needs a person. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns its exit code. Used by tests in-process. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new SlipwayCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof SlipwayException se) {
                err.println("error: " + dev.slipway.core.Redact.text(se.getMessage()));
                return se.exitCode();
            }
            err.println("error: unexpected " + dev.slipway.core.Redact.text(String.valueOf(e)) + " (this is a bug in Slipway; please report it with the command you ran)");
            e.printStackTrace(err);
            return 3;
        });
        return cli.execute(args);
    }
}
