package dev.slipway.core.migrations;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What this deploy's own earlier statements created. The old release cannot use a table, view or column that
 * did not exist when it was built, so changing one of those again in the same deploy cannot break it: Prisma
 * creates a table and then adds its foreign keys in separate statements, and a new column is often backfilled
 * with an UPDATE right after it is added.
 */
final class DeploySchema {
    private final Set<String> objects = new HashSet<>();
    private final Set<String> columns = new HashSet<>();

    void created(String name) {
        objects.add(normalize(name));
    }

    boolean isNew(String name) {
        return objects.contains(normalize(name));
    }

    void addedColumn(String table, String column) {
        columns.add(normalize(table) + "|" + normalize(column));
    }

    boolean isNewColumn(String table, String column) {
        return isNew(table) || columns.contains(normalize(table) + "|" + normalize(column));
    }

    /**
     * PostgreSQL's identity of a name: unquoted parts fold to lower case, quoted parts keep theirs, and the
     * default schema {@code public} is the same as none.
     */
    static String normalize(String name) {
        StringBuilder out = new StringBuilder();
        for (String part : name.strip().split("\\.(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            String p = part.strip();
            String n = p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")
                    ? p.substring(1, p.length() - 1).replace("\"\"", "\"")
                    : p.toLowerCase(Locale.ROOT);
            out.append(out.length() == 0 ? "" : ".").append(n);
        }
        String s = out.toString();
        return s.startsWith("public.") ? s.substring("public.".length()) : s;
    }
}
