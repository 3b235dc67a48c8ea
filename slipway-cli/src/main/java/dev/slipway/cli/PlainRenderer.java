package dev.slipway.cli;

import dev.slipway.core.engine.Durations;
import dev.slipway.core.engine.RunListener;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.LogLine;
import dev.slipway.core.journal.RunRecord;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One plain line per event and log line, for logs and CI (no terminal). */
final class PlainRenderer implements RunListener {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private final PrintWriter out;
    private final RunRecord run;
    private final Map<String, Instant> started = new ConcurrentHashMap<>();

    PlainRenderer(PrintWriter out, RunRecord run) {
        this.out = out;
        this.run = run;
    }

    @Override
    public synchronized void onEvent(JournalEvent e) {
        String text = describe(e);
        if (text != null) {
            out.println(TIME.format(e.at()) + " run " + run.id() + " " + text);
        }
    }

    @Override
    public synchronized void onLog(LogLine l) {
        out.println(TIME.format(l.at()) + " run " + run.id() + "   " + (l.step() == null ? "" : l.step() + " | ") + l.line());
    }

    private String describe(JournalEvent e) {
        return switch (e.type()) {
            case RUN_QUEUED -> "queued: " + run.stage() + " <- " + run.commit() + " (requested by " + run.requestedBy() + ")";
            case RUN_STARTED -> "started";
            case RUN_RESUMED -> "resumed by " + e.get("holder");
            case STEP_STARTED -> {
                started.put(e.step(), e.at());
                yield e.step() + " started";
            }
            case STEP_SUCCEEDED -> e.step() + " succeeded" + took(e) + Provenance.of(e.data()).map(p -> ": " + p).orElse("");
            case STEP_FAILED -> e.step() + " failed" + took(e) + ": " + e.get("reason");
            case STEP_RETRYING -> e.step() + " will retry in " + e.get("delayMs") + "ms: " + e.get("reason");
            case APPROVAL_REQUESTED -> "waiting for " + e.get("required") + " approval(s) of " + e.get("digest")
                    + ": slipway approve " + run.id();
            case APPROVED -> "approved by " + e.get("by");
            case RUN_INTERRUPTED -> "interrupted: " + e.get("reason");
            case COMPENSATION_STARTED -> "bringing the previous version back: " + firstLine(e.get("reason"));
            case ROLLED_BACK -> "rolled back to " + e.get("restored");
            case COMPENSATION_FAILED -> "ROLLBACK FAILED: " + e.get("reason");
            case RUN_SUCCEEDED -> "succeeded";
            case RUN_FAILED -> "failed: " + e.get("reason");
            case RUN_SUPERSEDED -> "superseded by run " + e.get("by") + " (" + e.get("commit") + ")";
        };
    }

    static String firstLine(String text) {
        int nl = text == null ? -1 : text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl) + " …";
    }

    private String took(JournalEvent e) {
        Instant s = started.get(e.step());
        return s == null ? "" : " (" + Durations.format(Duration.between(s, e.at())) + ")";
    }
}
