package dev.slipway.core.journal;

import java.time.Instant;
import java.util.Map;

/** One appended fact about a run. {@code data} holds step outputs, reasons and names; never secrets. */
public record JournalEvent(long runId, int seq, Instant at, EventType type, String step, Map<String, String> data) {
    public JournalEvent {
        data = Map.copyOf(data);
    }

    public String get(String key) {
        return data.get(key);
    }
}
