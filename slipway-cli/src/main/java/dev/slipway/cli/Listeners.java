package dev.slipway.cli;

import dev.slipway.core.engine.RunListener;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.LogLine;

/** Tells two listeners the same things, in order. */
final class Listeners {
    private Listeners() {
    }

    static RunListener both(RunListener a, RunListener b) {
        return new RunListener() {
            @Override
            public void onEvent(JournalEvent event) {
                a.onEvent(event);
                b.onEvent(event);
            }

            @Override
            public void onLog(LogLine line) {
                a.onLog(line);
                b.onLog(line);
            }
        };
    }
}
