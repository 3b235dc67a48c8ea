package dev.slipway.core.engine;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Fence;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.LeaseLostException;
import dev.slipway.core.journal.LogLine;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one run's events and log lines to the journal, masked, and tells the listener. Events carry the lease's fence:
 * once another process holds the stage they are refused, and the run's cancel token is told to stop everything.
 */
final class Recorder {
    private final Journal journal;
    private final Fence fence;
    private final long runId;
    private final Clock clock;
    private final Masker masker;
    private final RunListener listener;
    private final CancelToken cancel;

    Recorder(Journal journal, Fence fence, long runId, Clock clock, Masker masker, RunListener listener, CancelToken cancel) {
        this.journal = journal;
        this.fence = fence;
        this.runId = runId;
        this.clock = clock;
        this.masker = masker;
        this.listener = listener;
        this.cancel = cancel;
    }

    JournalEvent event(EventType type, String step, String... keyValues) {
        Map<String, String> data = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            if (keyValues[i + 1] != null) {
                data.put(keyValues[i], keyValues[i + 1]);
            }
        }
        return event(type, step, data);
    }

    JournalEvent event(EventType type, String step, Map<String, String> data) {
        Map<String, String> masked = new LinkedHashMap<>();
        data.forEach((k, v) -> masked.put(k, masker.mask(v)));
        JournalEvent e;
        try {
            e = journal.append(fence, runId, type, step, masked, clock.instant());
        } catch (LeaseLostException lost) {
            cancel.cancel(lost.getMessage(), false);
            throw lost;
        }
        listener.onEvent(e);
        return e;
    }

    void log(String step, String line) {
        String masked = masker.mask(line);
        journal.log(runId, step, masked, clock.instant());
        listener.onLog(new LogLine(runId, 0, clock.instant(), step, masked));
    }

    /** Tells the listener only: for a holder that lost the lease, whose journal writes would be refused or stale. */
    void notice(String step, String line) {
        listener.onLog(new LogLine(runId, 0, clock.instant(), step, masker.mask(line)));
    }

    Masker masker() {
        return masker;
    }

    Clock clock() {
        return clock;
    }

    CancelToken cancel() {
        return cancel;
    }
}
