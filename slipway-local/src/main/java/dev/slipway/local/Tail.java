package dev.slipway.local;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/** The last lines of some output, for failure messages. Thread-safe. */
final class Tail implements Consumer<String> {
    private final int max;
    private final Deque<String> lines = new ArrayDeque<>();

    Tail(int max) {
        this.max = max;
    }

    @Override
    public synchronized void accept(String line) {
        if (lines.size() == max) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** "; last output:" and the lines indented, or "; it printed nothing". */
    static String describe(List<String> lines) {
        if (lines.isEmpty()) {
            return "; it printed nothing";
        }
        return "; last output:\n  | " + String.join("\n  | ", lines);
    }
}
