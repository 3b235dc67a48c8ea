package dev.slipway.core.migrations;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One line of {@code git diff --name-status} between the live release's commit and the one being deployed.
 *
 * @param kind    what happened to the file
 * @param path    the file's path at the new commit (for a deletion, the path it had)
 * @param oldPath the path it had at the live commit: differs from {@code path} only for a rename or a copy
 */
public record Change(Kind kind, String path, String oldPath) {
    /** The status letters git prints; a rename or copy also prints a similarity score, which does not matter here. */
    public enum Kind { ADDED, MODIFIED, DELETED, RENAMED, COPIED, TYPE_CHANGED }

    public Change {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(oldPath, "oldPath");
    }

    public static Change added(String path) {
        return new Change(Kind.ADDED, path, path);
    }

    public static Change modified(String path) {
        return new Change(Kind.MODIFIED, path, path);
    }

    public static Change deleted(String path) {
        return new Change(Kind.DELETED, path, path);
    }

    public static Change renamed(String oldPath, String path) {
        return new Change(Kind.RENAMED, path, oldPath);
    }

    /** Reads {@code git diff --name-status} output (tab-separated; {@code R100\told\tnew} for a rename). */
    public static List<Change> parseNameStatus(String output) {
        List<Change> changes = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (!line.isBlank()) {
                changes.add(parseLine(line.stripTrailing()));
            }
        }
        return changes;
    }

    private static Change parseLine(String line) {
        String[] f = line.split("\t");
        char status = f[0].isEmpty() ? '?' : f[0].charAt(0);
        if ((status == 'R' || status == 'C') && f.length == 3) {
            return new Change(status == 'R' ? Kind.RENAMED : Kind.COPIED, f[2], f[1]);
        }
        if (f.length != 2) {
            throw new IllegalArgumentException("not a git diff --name-status line: " + line);
        }
        switch (status) {
            case 'A': return added(f[1]);
            case 'M': return modified(f[1]);
            case 'D': return deleted(f[1]);
            case 'T': return new Change(Kind.TYPE_CHANGED, f[1], f[1]);
            default: throw new IllegalArgumentException("unknown git status '" + f[0] + "' in: " + line);
        }
    }
}
