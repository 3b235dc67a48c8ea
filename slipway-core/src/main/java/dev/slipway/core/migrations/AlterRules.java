package dev.slipway.core.migrations;

import java.util.List;
import java.util.Locale;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterExpression;
import net.sf.jsqlparser.statement.create.table.CheckConstraint;
import net.sf.jsqlparser.statement.create.table.ForeignKeyIndex;
import net.sf.jsqlparser.statement.create.table.Index;

/**
 * Decides an ALTER TABLE action by action; the statement is as bad as its worst action. Any action on a table
 * this deploy created is harmless: the old release does not know the table.
 */
final class AlterRules {
    private final DeploySchema schema;

    AlterRules(DeploySchema schema) {
        this.schema = schema;
    }

    /**
     * @param notValid how many {@code NOT VALID} markers the statement had (the parser cannot read them, so they
     *                 were blanked): when every added foreign key and check has one, none of them scans the table
     */
    Verdict decide(Alter alter, int notValid) {
        String table = alter.getTable().getFullyQualifiedName();
        List<AlterExpression> actions = alter.getAlterExpressions() == null ? List.of() : alter.getAlterExpressions();
        if (schema.isNew(table)) {
            actions.stream().filter(a -> a.getColDataTypeList() != null && a.getOperation().name().equals("ADD"))
                    .forEach(a -> a.getColDataTypeList().forEach(c -> schema.addedColumn(table, c.getColumnName())));
            return Verdict.EXPAND;
        }
        long checked = actions.stream().filter(a -> isForeignKeyOrCheck(a.getIndex())).count();
        boolean allNotValid = checked > 0 && notValid == checked;
        Verdict verdict = actions.isEmpty() ? Verdict.breaking("ALTER TABLE: not analysed") : Verdict.NEUTRAL;
        for (AlterExpression action : actions) {
            verdict = verdict.and(action(table, action, allNotValid));
        }
        return verdict;
    }

    private Verdict action(String table, AlterExpression action, boolean notValid) {
        switch (action.getOperation()) {
            case ADD:
                return action.getColDataTypeList() != null ? addColumns(table, action)
                        : addConstraint(table, action.getIndex(), notValid);
            case ALTER:
                return alterColumn(table, action);
            case DROP:
            case DROP_PRIMARY_KEY:
            case DROP_UNIQUE:
            case DROP_FOREIGN_KEY:
                return Verdict.breaking(dropped(action) + ", which the old release may still use");
            case RENAME:
            case RENAME_TABLE:
            case RENAME_INDEX:
            case RENAME_KEY:
            case RENAME_CONSTRAINT:
                return Verdict.breaking("renames " + (action.getColumnOldName() != null
                        ? "column " + action.getColumnOldName() + " of " + table : table)
                        + ": the old release uses the old name");
            case COMMENT:
                return Verdict.EXPAND;
            case UNSPECIFIC:
                String what = String.valueOf(action.getOptionalSpecifier());
                return what.toUpperCase(Locale.ROOT).startsWith("VALIDATE CONSTRAINT") ? Verdict.EXPAND
                        : Verdict.breaking("ALTER TABLE … " + what + ": not analysed");
            default:
                return Verdict.breaking("ALTER TABLE … " + action.getOperation() + ": not analysed");
        }
    }

    private Verdict addColumns(String table, AlterExpression action) {
        Verdict verdict = Verdict.NEUTRAL;
        for (AlterExpression.ColumnDataType column : action.getColDataTypeList()) {
            String specs = " " + String.join(" ", column.getColumnSpecs() == null ? List.of() : column.getColumnSpecs())
                    .toUpperCase(Locale.ROOT) + " ";
            String type = String.valueOf(column.getColDataType()).toLowerCase(Locale.ROOT);
            boolean notNull = specs.contains(" NOT NULL ") || specs.contains(" PRIMARY KEY ");
            boolean filled = specs.contains(" DEFAULT ") || specs.contains(" GENERATED ") || type.endsWith("serial");
            schema.addedColumn(table, column.getColumnName());
            verdict = verdict.and(notNull && !filled
                    ? Verdict.breaking("adds NOT NULL column " + column.getColumnName() + " to " + table
                            + " without a DEFAULT: fails on existing rows, and the old release's inserts leave it out")
                    : Verdict.EXPAND);
        }
        return verdict;
    }

    private Verdict addConstraint(String table, Index index, boolean notValid) {
        if (index == null) {
            return Verdict.breaking("ALTER TABLE … ADD: not analysed");
        }
        String name = index.getName() == null ? "" : " " + index.getName();
        if (isForeignKeyOrCheck(index)) {
            if (notValid || onlyNewColumns(table, index)) {
                return Verdict.EXPAND;
            }
            return Verdict.breaking("adds constraint" + name + " without NOT VALID: checks every existing row under"
                    + " a lock that blocks writes and fails if one violates it; add it NOT VALID, then VALIDATE"
                    + " CONSTRAINT");
        }
        return Verdict.breaking("adds " + String.valueOf(index.getType()).toLowerCase(Locale.ROOT) + " constraint"
                + name + ": builds its index under a lock that blocks reads and writes; create a unique index"
                + " CONCURRENTLY and add the constraint USING INDEX");
    }

    private static boolean isForeignKeyOrCheck(Index index) {
        return index instanceof ForeignKeyIndex || index instanceof CheckConstraint;
    }

    /** A foreign key over columns this deploy added holds on every existing row, whose values are all NULL. */
    private boolean onlyNewColumns(String table, Index index) {
        List<String> columns = index instanceof ForeignKeyIndex ? index.getColumnsNames() : List.of();
        return !columns.isEmpty() && columns.stream().allMatch(c -> schema.isNewColumn(table, c));
    }

    private Verdict alterColumn(String table, AlterExpression action) {
        Verdict verdict = Verdict.NEUTRAL;
        if (action.getColDataTypeList() != null) {
            for (AlterExpression.ColumnDataType column : action.getColDataTypeList()) {
                verdict = verdict.and(column.isWithType()
                        ? Verdict.breaking("changes the type of " + table + "." + column.getColumnName()
                                + ": rewrites the table under a lock, and the old release expects the old type")
                        : Verdict.breaking("ALTER COLUMN " + column.getColumnName() + ": not analysed"));
            }
        }
        if (action.getColumnSetNotNullList() != null) {
            for (Object column : action.getColumnSetNotNullList()) {
                verdict = verdict.and(Verdict.breaking("sets NOT NULL on " + table + "." + columnOf(column)
                        + ": scans the table under a lock, fails on NULLs, and the old release may still write NULL"));
            }
        }
        if (action.getColumnDropDefaultList() != null) {
            for (Object column : action.getColumnDropDefaultList()) {
                verdict = verdict.and(Verdict.breaking("drops the default of " + table + "." + columnOf(column)
                        + ": the old release's inserts may rely on it"));
            }
        }
        boolean relaxes = action.getColumnDropNotNullList() != null || action.getColumnSetDefaultList() != null;
        if (relaxes) {
            verdict = verdict.and(Verdict.EXPAND);
        }
        return verdict.cls() == MigrationClass.NONE ? Verdict.breaking("ALTER COLUMN: not analysed") : verdict;
    }

    /** JSqlParser prints {@code "col SET NOT NULL"}; the column is its first word. */
    private static String columnOf(Object alteration) {
        return String.valueOf(alteration).strip().split("\\s+", 2)[0];
    }

    private static String dropped(AlterExpression action) {
        if (action.getColumnName() != null) {
            return "drops column " + action.getColumnName();
        }
        if (action.getConstraintName() != null) {
            return "drops constraint " + action.getConstraintName();
        }
        return "drops " + action.toString().replaceFirst("(?i)^DROP\\s+", "").toLowerCase(Locale.ROOT);
    }
}
