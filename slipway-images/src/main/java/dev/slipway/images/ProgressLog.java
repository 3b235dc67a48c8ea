package dev.slipway.images;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.ResponseItem;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows a build or push response stream: passes its text lines to a log, keeps the last few for error messages,
 * and remembers the error and digest the engine reported.
 */
final class ProgressLog<T extends ResponseItem> extends ResultCallback.Adapter<T> {
    private static final int TAIL = 20;
    private static final Pattern DIGEST = Pattern.compile("(sha256:[0-9a-f]{64})");
    private final Consumer<String> log;
    private final Deque<String> tail = new ArrayDeque<>();
    private volatile String error;
    private volatile String digest;

    ProgressLog(Consumer<String> log) {
        this.log = log;
    }

    @Override
    public void onNext(T item) {
        text(item.getStream());
        if (item.getStatus() != null) {
            String status = item.getStatus() + (item.getId() == null ? "" : " " + item.getId());
            if (item.getProgressDetail() == null || item.getProgressDetail().getCurrent() == null) {
                text(status);
            }
            Matcher m = DIGEST.matcher(item.getStatus());
            if (item.getStatus().contains("digest:") && m.find()) {
                digest = m.group(1);
            }
        }
        if (item.getAux() != null) {
            if (item.getAux().getDigest() != null) {
                digest = item.getAux().getDigest();
            }
        }
        String failure = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                ? item.getErrorDetail().getMessage() : item.getError();
        if (failure != null) {
            error = failure.strip();
            text("error: " + error);
        }
    }

    private void text(String text) {
        if (text == null) {
            return;
        }
        for (String line : text.split("\\r?\\n")) {
            String l = line.stripTrailing();
            if (!l.isBlank()) {
                log.accept(l);
                synchronized (tail) {
                    if (tail.size() == TAIL) {
                        tail.removeFirst();
                    }
                    tail.addLast(l);
                }
            }
        }
    }

    String error() {
        return error;
    }

    String digest() {
        return digest;
    }

    List<String> tail() {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }
}
