package dev.slipway.core.migrations;

import java.math.BigInteger;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The migration files a deploy will run, picked from what changed between the live release's commit and the
 * new one, and the changes to migrations the live release already ran.
 *
 * <p>A file matching a {@code migrations.files} glob ({@code db/migration/*.sql},
 * {@code prisma/migrations/*}{@code /migration.sql}; {@code *} stays within a directory, {@code **} crosses them)
 * that was added is pending. One that already existed at the live commit was applied by the live release, so
 * editing, renaming or deleting it does not do what it seems to: the edit never runs, the rename runs it again,
 * and the migration tool may refuse the changed checksum or the missing file. Each of those is a breaking
 * {@link Reason} about the file. The exception is a Flyway repeatable migration ({@code R__…}), which Flyway
 * runs again whenever it changes: a modified one is pending.
 *
 * @param files   pending files in the order they run: Flyway versioned files by version, then other files by
 *                path (Prisma's directories start with a timestamp), then repeatable ones
 * @param reasons one per applied migration that was edited, renamed or deleted, with line 0
 */
public record PendingMigrations(List<String> files, List<Reason> reasons) {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__.*");

    public PendingMigrations {
        files = List.copyOf(files);
        reasons = List.copyOf(reasons);
    }

    /** Picks the pending files among {@code changes} by {@code globs}. */
    public static PendingMigrations select(List<String> globs, List<Change> changes) {
        List<PathMatcher> matchers = globs.stream()
                .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob))
                .toList();
        List<String> files = new ArrayList<>();
        List<Reason> reasons = new ArrayList<>();
        for (Change change : changes) {
            boolean now = matches(matchers, change.path());
            boolean before = matches(matchers, change.oldPath());
            switch (change.kind()) {
                case ADDED:
                case COPIED:
                    addIf(now, change.path(), files);
                    break;
                case MODIFIED:
                case TYPE_CHANGED:
                    if (now && isRepeatable(change.path())) {
                        files.add(change.path());
                    } else if (now) {
                        reasons.add(fileReason(change.path(), "edits a migration the live release already applied:"
                                + " the edit will not run, and the migration tool may refuse its changed checksum"));
                    }
                    break;
                case DELETED:
                    if (now) {
                        reasons.add(deleted(change.path()));
                    }
                    break;
                case RENAMED:
                    if (before && now) {
                        reasons.add(fileReason(change.path(), "renames " + change.oldPath() + ", a migration the"
                                + " live release already applied: it would run again under its new name"));
                    } else if (before) {
                        reasons.add(deleted(change.oldPath()));
                    } else {
                        addIf(now, change.path(), files);
                    }
                    break;
                default:
                    throw new IllegalStateException("unhandled change kind " + change.kind() + ": bug");
            }
        }
        files.sort(RUN_ORDER);
        return new PendingMigrations(files, reasons);
    }

    private static boolean matches(List<PathMatcher> matchers, String path) {
        Path p = Path.of(path);
        return matchers.stream().anyMatch(m -> m.matches(p));
    }

    private static void addIf(boolean matches, String path, List<String> files) {
        if (matches) {
            files.add(path);
        }
    }

    private static Reason deleted(String path) {
        return fileReason(path, "deletes a migration the live release already applied: what it made stays, and"
                + " the migration tool may refuse the missing file");
    }

    private static Reason fileReason(String path, String why) {
        return new Reason(path, 0, "", why);
    }

    private static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static boolean isRepeatable(String path) {
        return name(path).startsWith("R__");
    }

    private static final Comparator<String> RUN_ORDER = Comparator
            .comparingInt(PendingMigrations::rank)
            .thenComparing(PendingMigrations::compareVersions)
            .thenComparing(Comparator.naturalOrder());

    private static int rank(String path) {
        return VERSIONED.matcher(name(path)).matches() ? 0 : isRepeatable(path) ? 2 : 1;
    }

    /** Flyway's order: {@code V1_10} after {@code V1_9}, each dotted or underscored part compared as a number. */
    private static int compareVersions(String a, String b) {
        Matcher ma = VERSIONED.matcher(name(a));
        Matcher mb = VERSIONED.matcher(name(b));
        if (!ma.matches() || !mb.matches()) {
            return 0;
        }
        String[] pa = ma.group(1).split("[._]");
        String[] pb = mb.group(1).split("[._]");
        for (int i = 0; i < Math.max(pa.length, pb.length); i++) {
            BigInteger x = i < pa.length ? new BigInteger(pa[i]) : BigInteger.ZERO;
            BigInteger y = i < pb.length ? new BigInteger(pb[i]) : BigInteger.ZERO;
            int c = x.compareTo(y);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
