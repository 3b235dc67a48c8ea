package dev.slipway.cli;

import dev.slipway.core.engine.Durations;
import dev.slipway.core.engine.RunListener;
import dev.slipway.core.journal.JournalEvent;
import dev.slipway.core.journal.LogLine;
import dev.slipway.core.journal.RunRecord;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** On a terminal: one live line per step with its elapsed time, redrawn in place; other news scrolls above them. */
final class LiveRenderer implements RunListener, AutoCloseable {
    private static final String CLEAR_LINE = "\r\033[2K";
    private final PrintWriter out;
    private final RunRecord run;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Line> lines = new LinkedHashMap<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "slipway-render");
        t.setDaemon(true);
        return t;
    });
    private int drawn;

    private record Line(Instant start, Instant end, String state, String note) {
    }

    LiveRenderer(PrintWriter out, RunRecord run) {
        this.out = out;
        this.run = run;
        out.println("run " + run.id() + ": " + run.stage() + " <- " + run.commit());
        ticker.scheduleAtFixedRate(this::redraw, 200, 200, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void onEvent(JournalEvent e) {
        switch (e.type()) {
            case STEP_STARTED -> lines.put(e.step(), new Line(e.at(), null, "…", ""));
            case STEP_SUCCEEDED -> end(e, "✓", "");
            case STEP_FAILED -> end(e, "✗", e.get("reason"));
            case STEP_RETRYING -> lines.computeIfPresent(e.step(), (k, l) -> new Line(l.start(), null, "↻", "retrying: " + e.get("reason")));
            case APPROVAL_REQUESTED -> above("waiting for " + e.get("required") + " approval(s): slipway approve " + run.id());
            case APPROVED -> above("approved by " + e.get("by"));
            case RUN_RESUMED -> above("resuming an interrupted run");
            case RUN_INTERRUPTED -> above("interrupted: " + e.get("reason"));
            case COMPENSATION_STARTED -> above("bringing the previous version back");
            case RUN_SUPERSEDED -> above("superseded by run " + e.get("by"));
            default -> {
            }
        }
        redraw();
    }

    @Override
    public synchronized void onLog(LogLine l) {
        above("  " + (l.step() == null ? "" : l.step() + " | ") + l.line());
    }

    private void end(JournalEvent e, String mark, String note) {
        lines.compute(e.step(), (k, l) -> new Line(l == null ? e.at() : l.start(), e.at(), mark, note));
    }

    private synchronized void above(String text) {
        erase();
        out.println(text);
        draw();
    }

    private synchronized void redraw() {
        erase();
        draw();
    }

    private void erase() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < drawn; i++) {
            sb.append("\033[1A").append(CLEAR_LINE);
        }
        out.print(sb);
        drawn = 0;
    }

    private void draw() {
        Instant now = clock.instant();
        for (Map.Entry<String, Line> e : lines.entrySet()) {
            Line l = e.getValue();
            Duration took = Duration.between(l.start(), l.end() == null ? now : l.end());
            out.println(CLEAR_LINE + String.format("  %s %-10s %8s  %s", l.state(), e.getKey(), Durations.format(took), l.note()));
            drawn++;
        }
        out.flush();
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        redraw();
    }
}
