package dev.slipway.cli;

import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code slipway} command line. Exit codes: 0 ok, 1 run failed (rolled back), 2 bad usage or config, 3 needs a
 * person. Whatever goes wrong is one {@code error:} line (or a list, for a project file) without a stack trace;
 * {@code SLIPWAY_LOG=debug} adds the trace of an unexpected one.
 */
public final class Main {
    /** Longest message line shown; a longer one carries a value someone typed and is cut. */
    static final int MAX_LINE = 400;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; returns its exit code. Used by tests in-process. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        try {
            CommandLine cli = new CommandLine(new SlipwayCommand());
            cli.setOut(out);
            cli.setErr(err);
            cli.setParameterExceptionHandler(Main::badUsage);
            cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> failed(e, err));
            return cli.execute(args);
        } catch (RuntimeException | Error e) { // thrown past picocli's handlers: from a handler, or an Error (OutOfMemoryError…)
            return failed(e, err);
        }
    }

    /** What picocli refused (unknown option, missing or malformed value): the reason, a suggestion, where help is. */
    private static int badUsage(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + Display.line(dev.slipway.core.Redact.text(e.getMessage()), MAX_LINE));
        if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            String typed = u.getUnmatched().isEmpty() ? "" : u.getUnmatched().get(0);
            err.println(Nearest.to(typed, u.getSuggestions()).map(s -> "did you mean: " + Display.value(s) + "?")
                    .orElse("did you mean one of: " + Display.line(String.join(", ", u.getSuggestions()), MAX_LINE) + "?"));
        }
        String name = cmd.getCommandSpec().qualifiedName();
        err.println("usage: " + name + " --help shows the options and arguments of " + name);
        err.flush();
        return ErrorCode.BAD_USAGE.exitCode();
    }

    /** A {@link SlipwayException} with its exit code; anything else is a bug: one line, exit 3, its trace only on request. */
    static int failed(Throwable e, PrintWriter err) {
        if (e instanceof SlipwayException se) {
            err.println("error: " + Display.message(dev.slipway.core.Redact.text(se.getMessage()), 20 * MAX_LINE));
            err.flush();
            return se.exitCode();
        }
        err.println("error: unexpected " + e.getClass().getSimpleName() + ": " + Display.line(dev.slipway.core.Redact.text(String.valueOf(e.getMessage())), MAX_LINE)
                + " (this is a bug in Slipway; please report it with the command you ran; SLIPWAY_LOG=debug shows where it happened)");
        if (CliLogging.Setting.parse(System.getenv(CliLogging.ENV)).stackTraces()) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            err.print(trace);
        }
        err.flush();
        return 3;
    }
}
