package dev.slipway.local;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The schema objects of a database, read from its catalogs, each with a definition to compare: relations (tables,
 * views, sequences), columns (type, NOT NULL, default), indexes, constraints, functions and triggers. Read from the
 * catalogs rather than parsed from {@code pg_dump --schema-only} text, whose layout, ordering and meta-commands change
 * between versions; the catalogs give one row per object and Postgres' own {@code pg_get_*def} text for each.
 */
record SchemaShape(Map<String, Obj> objects) {
    /** Schemas that belong to Postgres, never to the app. */
    private static final String USER_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema')"
            + " AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'";
    /** Objects of extensions are the extension's business (a version bump is not the app's schema change). */
    private static final String NOT_EXTENSION = " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = %s"
            + " AND d.deptype = 'e')";

    /**
     * One object.
     *
     * @param kind       table, view, sequence, column, index, constraint, function, trigger
     * @param relation   the table it belongs to ({@code schema.table}, schema left out when public), or empty
     * @param name       its name within the relation or schema
     * @param definition what is compared: for a column {@code type [not null] [default …]}
     */
    record Obj(String kind, String relation, String name, String definition) {
        String key() {
            return kind + " " + (relation.isEmpty() ? name : relation + "." + name);
        }
    }

    SchemaShape {
        objects = Collections.unmodifiableMap(new TreeMap<>(objects));
    }

    static SchemaShape read(Connection c) throws SQLException {
        Map<String, Obj> out = new LinkedHashMap<>();
        String rel = "CASE WHEN n.nspname = 'public' THEN '' ELSE n.nspname || '.' END || c.relname";
        query(c, "SELECT CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'view' WHEN 'S' THEN 'sequence' ELSE 'table' END, '', "
                + rel + ", CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid) ELSE '' END"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND " + USER_SCHEMAS + NOT_EXTENSION.formatted("c.oid"), out);
        query(c, "SELECT 'column', " + rel + ", a.attname, format_type(a.atttypid, a.atttypmod)"
                + " || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END"
                + " || coalesce(' default ' || pg_get_expr(ad.adbin, ad.adrelid), '')"
                + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum"
                + " WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND " + USER_SCHEMAS
                + NOT_EXTENSION.formatted("c.oid"), out);
        query(c, "SELECT 'index', " + rel + ", i.relname, pg_get_indexdef(i.oid)"
                + " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE " + USER_SCHEMAS + NOT_EXTENSION.formatted("c.oid"), out);
        query(c, "SELECT 'constraint', " + rel + ", k.conname, pg_get_constraintdef(k.oid)"
                + " FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE " + USER_SCHEMAS + NOT_EXTENSION.formatted("c.oid"), out);
        query(c, "SELECT 'function', '', CASE WHEN n.nspname = 'public' THEN '' ELSE n.nspname || '.' END || p.proname"
                + " || '(' || pg_get_function_identity_arguments(p.oid) || ')',"
                + " pg_get_function_result(p.oid) || ' md5:' || md5(coalesce(p.prosrc, ''))"
                + " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                + " WHERE p.prokind IN ('f', 'p') AND " + USER_SCHEMAS + NOT_EXTENSION.formatted("p.oid"), out);
        query(c, "SELECT 'trigger', " + rel + ", t.tgname, pg_get_triggerdef(t.oid)"
                + " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE NOT t.tgisinternal AND " + USER_SCHEMAS + NOT_EXTENSION.formatted("c.oid"), out);
        return new SchemaShape(out);
    }

    private static void query(Connection c, String sql, Map<String, Obj> out) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Obj o = new Obj(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
                out.put(o.key(), o);
            }
        }
    }

    /**
     * What a migration did to the schema, as the old release sees it.
     *
     * @param breaking what the old release may trip over: objects dropped or changed, and additions that constrain the
     *                 tables it writes (a NOT NULL column without a default, a constraint or unique index on a table
     *                 that existed before)
     * @param added    the other additions
     */
    record Diff(List<String> breaking, List<String> added) {
        Diff {
            breaking = List.copyOf(breaking);
            added = List.copyOf(added);
        }

        /** none, expand or breaking. */
        String verdict() {
            return !breaking.isEmpty() ? "breaking" : !added.isEmpty() ? "expand" : "none";
        }

        /** The first {@code max} findings (breaking first), and how many more there are. */
        String summary(int max) {
            List<String> all = new ArrayList<>(breaking);
            all.addAll(added);
            String shown = all.stream().limit(max).map(SchemaShape::bounded).collect(Collectors.joining("; "));
            return all.size() > max ? shown + "; and " + (all.size() - max) + " more" : shown;
        }
    }

    /** Compares this schema (before the migration) with {@code after}; relations first, then their parts. */
    Diff diff(SchemaShape after) {
        Set<String> droppedRelations = objects.values().stream()
                .filter(o -> o.relation().isEmpty() && !o.kind().equals("function") && !after.objects.containsKey(o.key()))
                .map(Obj::name).collect(Collectors.toSet());
        List<String> breaking = new ArrayList<>();
        for (Obj before : ordered(objects)) {
            Obj now = after.objects.get(before.key());
            if (now == null && !droppedRelations.contains(before.relation())) {
                breaking.add(before.key() + " dropped");
            } else if (now != null && !now.definition().equals(before.definition())) {
                breaking.add(before.key() + " changed: " + before.definition() + " → " + now.definition());
            }
        }
        Set<String> newRelations = after.objects.values().stream()
                .filter(o -> o.relation().isEmpty() && !o.kind().equals("function") && !objects.containsKey(o.key()))
                .map(Obj::name).collect(Collectors.toSet());
        List<String> added = new ArrayList<>();
        for (Obj now : ordered(after.objects)) {
            if (objects.containsKey(now.key()) || newRelations.contains(now.relation())) {
                continue; // a new table's columns and indexes are part of "table … added"
            }
            String constrains = constrainsExisting(now);
            if (constrains != null) {
                breaking.add(now.key() + " added " + constrains);
            } else {
                added.add(now.key() + " added");
            }
        }
        return new Diff(breaking, added);
    }

    private static final List<String> KINDS = List.of("table", "view", "sequence", "column", "constraint", "index",
            "function", "trigger");

    private static List<Obj> ordered(Map<String, Obj> objects) {
        return objects.values().stream().sorted(java.util.Comparator.comparingInt((Obj o) -> KINDS.indexOf(o.kind()))
                .thenComparing(Obj::key)).toList();
    }

    /** Why a new object refuses writes of the old release to a table that existed before, or null when it does not. */
    private String constrainsExisting(Obj added) {
        if (added.relation().isEmpty() || !objects.containsKey("table " + added.relation())) {
            return null;
        }
        boolean uniqueIndex = added.kind().equals("index") && added.definition().startsWith("CREATE UNIQUE INDEX");
        if (added.kind().equals("constraint") || uniqueIndex) {
            return "to existing table " + added.relation() + ": the old release's writes may be refused";
        }
        if (added.kind().equals("column") && added.definition().contains(" not null") && !added.definition().contains(" default ")) {
            return "NOT NULL without a default to existing table " + added.relation() + ": the old release's inserts fail";
        }
        return null;
    }

    /** One finding, at most 160 characters. */
    private static String bounded(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() <= 160 ? one : one.substring(0, 157) + "...";
    }
}
