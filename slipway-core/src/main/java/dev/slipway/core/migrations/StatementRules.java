package dev.slipway.core.migrations;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;
import net.sf.jsqlparser.statement.alter.Alter;
import net.sf.jsqlparser.statement.alter.AlterType;
import net.sf.jsqlparser.statement.comment.Comment;
import net.sf.jsqlparser.statement.create.domain.CreateDomain;
import net.sf.jsqlparser.statement.create.extension.CreateExtension;
import net.sf.jsqlparser.statement.create.function.CreateFunction;
import net.sf.jsqlparser.statement.create.index.CreateIndex;
import net.sf.jsqlparser.statement.create.procedure.CreateProcedure;
import net.sf.jsqlparser.statement.create.schema.CreateSchema;
import net.sf.jsqlparser.statement.create.sequence.CreateSequence;
import net.sf.jsqlparser.statement.create.table.CreateTable;
import net.sf.jsqlparser.statement.create.trigger.CreateTrigger;
import net.sf.jsqlparser.statement.create.type.CreateType;
import net.sf.jsqlparser.statement.create.view.CreateView;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.grant.Grant;
import net.sf.jsqlparser.statement.insert.ConflictActionType;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.update.Update;

/**
 * Decides one statement. A few PostgreSQL forms are decided from their leading keywords before the parser sees
 * them, because their class does not depend on anything the parser would add (any DROP is breaking, a DO block
 * is never analysed, BEGIN and SET change nothing) or because JSqlParser 5.4 cannot read them; everything else
 * must parse, and what does not parse is breaking.
 */
final class StatementRules {
    static final String NOT_UNDERSTOOD = "not understood by the parser";

    private static final Pattern NEUTRAL = Pattern.compile(
            "(?is)^(BEGIN|START\\s+TRANSACTION|COMMIT|END|SET|RESET|ANALYZE|VACUUM)\\b.*");
    private static final Pattern DO_BLOCK = Pattern.compile("(?is)^DO\\b.*");
    private static final Pattern DROP = Pattern.compile(
            "(?is)^DROP\\s+(MATERIALIZED\\s+VIEW|FOREIGN\\s+TABLE|[A-Z]+)\\s+(CONCURRENTLY\\s+)?(IF\\s+EXISTS\\s+)?");
    private static final Pattern TRUNCATE = Pattern.compile("(?is)^TRUNCATE\\s+(TABLE\\s+)?(ONLY\\s+)?");
    private static final Pattern UNIQUE_USING_INDEX = Pattern.compile(
            "(?is)^ALTER\\s+TABLE\\s+(ONLY\\s+)?(IF\\s+EXISTS\\s+)?\\S+\\s+ADD\\s+CONSTRAINT\\s+\\S+\\s+UNIQUE\\s+"
                    + "USING\\s+INDEX\\s+\\S+$");
    private static final Pattern SET_DATA_TYPE = Pattern.compile("(?i)\\bSET\\s+DATA\\s+TYPE\\b");
    private static final Pattern NOT_VALID = Pattern.compile("(?i)\\bNOT\\s+VALID\\b");
    private static final Pattern OR_REPLACE = Pattern.compile("(?is)^CREATE\\s+OR\\s+REPLACE\\b.*");
    private static final Pattern ROUTINE_NAME = Pattern.compile(
            "(?is)^CREATE\\s+(OR\\s+REPLACE\\s+)?(FUNCTION|PROCEDURE)\\s+");

    private final DeploySchema schema;

    StatementRules(DeploySchema schema) {
        this.schema = schema;
    }

    Verdict decide(SqlStatement statement) {
        String code = statement.code();
        if (NEUTRAL.matcher(code).matches()) {
            return Verdict.NEUTRAL;
        }
        if (DO_BLOCK.matcher(code).matches()) {
            return Verdict.breaking("DO block: not analysed");
        }
        Matcher drop = DROP.matcher(code);
        if (drop.lookingAt()) {
            String kind = drop.group(1).replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
            return Verdict.breaking("drops " + kind + " " + nameAt(statement, drop.end())
                    + ", which the old release may still use");
        }
        Matcher truncate = TRUNCATE.matcher(code);
        if (truncate.lookingAt()) {
            return Verdict.breaking("deletes every row of " + nameAt(statement, truncate.end())
                    + ", which the old release reads");
        }
        if (UNIQUE_USING_INDEX.matcher(code).matches()) {
            return Verdict.EXPAND;
        }
        return parsed(statement);
    }

    private Verdict parsed(SqlStatement statement) {
        String text = blank(statement.text(), statement.code(), NOT_VALID);
        int notValid = text.equals(statement.text()) ? 0 : count(statement.code(), NOT_VALID);
        text = replace(text, statement.code(), SET_DATA_TYPE, "TYPE");
        Statement parsed;
        try {
            parsed = CCJSqlParserUtil.parse(text);
        } catch (JSQLParserException | RuntimeException e) {
            return Verdict.breaking(NOT_UNDERSTOOD);
        }
        if (parsed == null || parsed instanceof UnsupportedStatement) {
            return Verdict.breaking(NOT_UNDERSTOOD);
        }
        return decide(parsed, statement, notValid);
    }

    private Verdict decide(Statement parsed, SqlStatement statement, int notValid) {
        String code = statement.code();
        if (parsed instanceof Alter) {
            return new AlterRules(schema).decide((Alter) parsed, notValid);
        }
        if (parsed instanceof CreateTable) {
            schema.created(((CreateTable) parsed).getTable().getFullyQualifiedName());
            return Verdict.EXPAND;
        }
        if (parsed instanceof CreateView) {
            return createView((CreateView) parsed);
        }
        if (parsed instanceof CreateFunction || parsed instanceof CreateProcedure) {
            return createRoutine(statement);
        }
        if (parsed instanceof CreateTrigger) {
            String table = ((CreateTrigger) parsed).getTable().getFullyQualifiedName();
            return schema.isNew(table) ? Verdict.EXPAND : Verdict.breaking("adds a trigger on " + table
                    + " that runs on the old release's writes: not analysed");
        }
        if (parsed instanceof Insert) {
            Insert insert = (Insert) parsed;
            boolean updates = insert.getConflictAction() != null
                    && insert.getConflictAction().getConflictActionType() == ConflictActionType.DO_UPDATE;
            return updates && !schema.isNew(insert.getTable().getFullyQualifiedName())
                    ? Verdict.breaking("updates existing rows of " + insert.getTable() + " on conflict")
                    : Verdict.EXPAND;
        }
        if (parsed instanceof Update) {
            return update((Update) parsed);
        }
        if (parsed instanceof Delete) {
            String table = ((Delete) parsed).getTable().getFullyQualifiedName();
            return schema.isNew(table) ? Verdict.EXPAND
                    : Verdict.breaking("deletes rows of " + table + ", which the old release reads");
        }
        if (isNewObject(parsed)) {
            return Verdict.EXPAND;
        }
        if (parsed instanceof AlterType) {
            return alterType((AlterType) parsed);
        }
        String[] words = code.split("\\s+", 3);
        String kind = words.length >= 2 ? words[0] + " " + words[1] : words[0];
        return Verdict.breaking(kind.toUpperCase(Locale.ROOT) + ": not analysed");
    }

    /** Statements that only add something new, or describe or grant: harmless to a release that ignores them. */
    private static boolean isNewObject(Statement parsed) {
        return parsed instanceof CreateIndex
                || parsed instanceof CreateSequence
                || parsed instanceof CreateSchema
                || parsed instanceof CreateType
                || parsed instanceof CreateDomain
                || parsed instanceof CreateExtension
                || parsed instanceof Comment
                || parsed instanceof Grant;
    }

    private Verdict createView(CreateView view) {
        String name = view.getView().getFullyQualifiedName();
        if (view.isOrReplace() && !schema.isNew(name)) {
            return Verdict.breaking("may replace view " + name + ", whose rows the old release reads");
        }
        schema.created(name);
        return Verdict.EXPAND;
    }

    private Verdict createRoutine(SqlStatement statement) {
        Matcher m = ROUTINE_NAME.matcher(statement.code());
        String name = m.lookingAt() ? nameAt(statement, m.end()) : "";
        if (OR_REPLACE.matcher(statement.code()).matches() && !schema.isNew(name)) {
            return Verdict.breaking("may replace " + m.group(2).toLowerCase(Locale.ROOT) + " " + name
                    + ", which the old release may call");
        }
        schema.created(name);
        return Verdict.EXPAND;
    }

    private Verdict update(Update update) {
        String table = update.getTable().getFullyQualifiedName();
        boolean onlyNewColumns = update.getUpdateSets().stream()
                .flatMap(set -> set.getColumns().stream())
                .allMatch(column -> schema.isNewColumn(table, column.getColumnName()));
        return onlyNewColumns ? Verdict.EXPAND
                : Verdict.breaking("changes existing rows of " + table + ", which the old release reads");
    }

    private Verdict alterType(AlterType alter) {
        if (alter.getAction() == AlterType.Action.ADD_VALUE) {
            return Verdict.EXPAND;
        }
        return Verdict.breaking("changes type " + alter.getName() + ", which the old release's columns use");
    }

    /** The object name written at {@code offset}: up to whitespace, a comma or an opening parenthesis. */
    private static String nameAt(SqlStatement statement, int offset) {
        String code = statement.code();
        int end = offset;
        while (end < code.length() && !Character.isWhitespace(code.charAt(end)) && code.charAt(end) != ','
                && code.charAt(end) != '(') {
            end++;
        }
        return statement.text().substring(offset, end);
    }

    private static int count(String code, Pattern pattern) {
        return (int) pattern.matcher(code).results().count();
    }

    private static String blank(String text, String code, Pattern pattern) {
        return replace(text, code, pattern, "");
    }

    /** Replaces each match found in the code (never inside a literal) by {@code with}, padded to keep offsets. */
    private static String replace(String text, String code, Pattern pattern, String with) {
        StringBuilder out = new StringBuilder(text);
        pattern.matcher(code).results().forEach(r -> {
            String padded = with + " ".repeat(r.end() - r.start() - with.length());
            out.replace(r.start(), r.end(), padded);
        });
        return out.toString();
    }
}
