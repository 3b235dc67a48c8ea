package dev.slipway.core.engine;

import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.LogLine;

/** Sees a run's events and log lines as they are journaled (the CLI renders them; the server streams them). */
public interface RunListener {
    RunListener NONE = new RunListener() {
    };

    default void onEvent(JournalEvent event) {
    }

    default void onLog(LogLine line) {
    }
}
