package dev.slipway.cli;

import dev.slipway.core.engine.Durations;
import dev.slipway.core.journal.RunView;

/** The one line a finished run ends with, saying what happened and what to do next. */
final class Summary {
    private Summary() {
    }

    static String of(RunView v) {
        String id = "run " + v.run().id() + " (" + v.run().stage() + ", " + v.run().commit() + ")";
        String took = v.duration().map(d -> " in " + Durations.format(d)).orElse("");
        return switch (v.state()) {
            case SUCCEEDED -> id + " succeeded" + took;
            case SUPERSEDED -> id + " was " + v.reason() + "; see slipway runs --stage " + v.run().stage();
            case FAILED -> id + " failed" + took + ": " + v.reason() + "\nFix the cause and deploy again; slipway logs "
                    + v.run().id() + " shows the details.";
            case ROLLED_BACK -> id + " failed and was rolled back" + took + ": " + v.reason() + "\nThe previous version is"
                    + " serving; slipway logs " + v.run().id() + " shows the details.";
            case NEEDS_ATTENTION -> id + " failed and could NOT be rolled back: " + v.reason() + "\nThe stage needs a person:"
                    + " check it, then run slipway rollback " + v.run().stage() + " or deploy a fix.";
            default -> id + " is " + v.state() + " (another process is driving it or it was cancelled); follow it with"
                    + " slipway logs " + v.run().id();
        };
    }
}
