package dev.slipway.cli;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.engine.RunListener;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.RunRecord;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import java.io.PrintWriter;
import java.util.function.Function;
import sun.misc.Signal;

/** Drives a requested run to its end in this process: renders it, turns SIGINT/SIGTERM into a compensating cancel. */
final class RunDriver {
    private RunDriver() {
    }

    static int drive(SlipwaySpec spec, boolean json, PrintWriter out, Function<Engine, RunRecord> request) {
        try (Journal journal = ProjectOptions.journal(spec); Engine engine = ProjectOptions.engine(spec, journal)) {
            RunRecord run = request.apply(engine);
            onSignal("INT", engine);
            onSignal("TERM", engine);
            RunListener renderer = json ? RunListener.NONE
                    : System.console() != null && System.getenv("SLIPWAY_PLAIN") == null
                    ? new LiveRenderer(out, run) : new PlainRenderer(out, run);
            RunView view = engine.run(run.id(), renderer);
            if (renderer instanceof AutoCloseable c) {
                closeQuietly(c);
            }
            if (json) {
                out.println(Json.write(Json.run(view)));
            } else {
                out.println(Summary.of(view));
            }
            return view.state().isTerminal() ? view.state().exitCode() : 3;
        }
    }

    private static void onSignal(String name, Engine engine) {
        Signal.handle(new Signal(name), s -> engine.cancel("interrupted by SIG" + name));
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // rendering only
        }
    }
}
