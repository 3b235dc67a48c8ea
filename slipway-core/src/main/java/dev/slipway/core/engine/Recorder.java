package dev.slipway.core.engine;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.LogLine;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes one run's events and log lines to the journal, masked, and tells the listener. */
final class Recorder {
    private final Journal journal;
    private final long runId;
    private final Clock clock;
    private final Masker masker;
    private final RunListener listener;

    Recorder(Journal journal, long runId, Clock clock, Masker masker, RunListener listener) {
        this.journal = journal;
        this.runId = runId;
        this.clock = clock;
        this.masker = masker;
        this.listener = listener;
    }

    JournalEvent event(EventType type, String step, String... keyValues) {
        Map<String, String> data = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                data.put(keyValues[i], masker.mask(keyValues[i + 1]));
            }
        }
        return event(type, step, data);
    }

    JournalEvent event(EventType type, String step, Map<String, String> data) {
        JournalEvent e = journal.append(runId, type, step, data, clock.instant());
        listener.onEvent(e);
        return e;
    }

    void log(String step, String line) {
        String masked = masker.mask(line);
        journal.log(runId, step, masked, clock.instant());
        listener.onLog(new LogLine(runId, 0, clock.instant(), step, masked));
    }

    Masker masker() {
        return masker;
    }
}
