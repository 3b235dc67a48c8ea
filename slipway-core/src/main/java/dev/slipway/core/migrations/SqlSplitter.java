package dev.slipway.core.migrations;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a PostgreSQL script into statements at the semicolons that are code: not inside a string ({@code '…'},
 * {@code E'…'} with backslash escapes), a quoted identifier, a dollar-quoted body ({@code $$…$$},
 * {@code $tag$…$tag$}) or a comment ({@code --}, nested {@code /* *}{@code /}). Done here rather than by the
 * parser so that one statement the parser cannot read does not hide the others, and so each statement knows
 * the line it starts on.
 */
final class SqlSplitter {
    private final String sql;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder code = new StringBuilder();
    private final List<SqlStatement> out = new ArrayList<>();
    private int pos;
    private int line = 1;
    private int startLine;
    private int startPos = -1;

    private SqlSplitter(String sql) {
        this.sql = sql;
    }

    static List<SqlStatement> split(String sql) {
        SqlSplitter s = new SqlSplitter(sql);
        s.run();
        return List.copyOf(s.out);
    }

    private void run() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '-' && peek(1) == '-') {
                lineComment();
            } else if (c == '/' && peek(1) == '*') {
                blockComment();
            } else if (c == ';') {
                finish();
                pos++;
            } else if (c == '\'') {
                quoted('\'', isEscapeString());
            } else if (c == '"') {
                quoted('"', false);
            } else if (c == '$' && dollarTag() != null) {
                dollarQuoted(dollarTag());
            } else {
                keep(c, c);
                pos++;
            }
        }
        finish();
    }

    private char peek(int ahead) {
        int i = pos + ahead;
        return i < sql.length() ? sql.charAt(i) : '\0';
    }

    /** {@code E'…'} (or {@code e'…'}) when the E is not the end of a longer identifier. */
    private boolean isEscapeString() {
        if (pos == 0 || Character.toUpperCase(sql.charAt(pos - 1)) != 'E') {
            return false;
        }
        return pos < 2 || !isIdentChar(sql.charAt(pos - 2));
    }

    private static boolean isIdentChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    /** The tag of a dollar quote starting at {@code pos} ({@code ""} for {@code $$}), or null: {@code $1} is a parameter. */
    private String dollarTag() {
        if (pos > 0 && isIdentChar(sql.charAt(pos - 1))) {
            return null;
        }
        int i = pos + 1;
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
        }
        if (i >= sql.length() || sql.charAt(i) != '$') {
            return null;
        }
        String tag = sql.substring(pos + 1, i);
        return !tag.isEmpty() && Character.isDigit(tag.charAt(0)) ? null : tag;
    }

    private void lineComment() {
        while (pos < sql.length() && sql.charAt(pos) != '\n') {
            blank();
        }
    }

    private void blockComment() {
        int depth = 0;
        while (pos < sql.length()) {
            if (sql.charAt(pos) == '/' && peek(1) == '*') {
                depth++;
                blank();
                blank();
            } else if (sql.charAt(pos) == '*' && peek(1) == '/') {
                depth--;
                blank();
                blank();
                if (depth == 0) {
                    return;
                }
            } else {
                blank();
            }
        }
    }

    private void quoted(char quote, boolean backslashEscapes) {
        keep(quote, quote);
        pos++;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (backslashEscapes && c == '\\' && peek(1) == quote) {
                // JSqlParser misreads \' in E'…'; '' means the same quote and keeps every offset
                keep(quote, '_');
                keep(quote, '_');
                pos += 2;
            } else if (backslashEscapes && c == '\\' && pos + 1 < sql.length()) {
                inside();
                inside();
            } else if (c == quote && peek(1) == quote) {
                inside();
                inside();
            } else if (c == quote) {
                keep(quote, quote);
                pos++;
                return;
            } else {
                inside();
            }
        }
    }

    private void dollarQuoted(String tag) {
        String delimiter = "$" + tag + "$";
        for (int i = 0; i < delimiter.length(); i++) {
            keep(sql.charAt(pos), sql.charAt(pos));
            pos++;
        }
        int end = sql.indexOf(delimiter, pos);
        int stop = end < 0 ? sql.length() : end;
        while (pos < stop) {
            inside();
        }
        for (int i = 0; end >= 0 && i < delimiter.length(); i++) {
            keep(sql.charAt(pos), sql.charAt(pos));
            pos++;
        }
    }

    /**
     * A character inside a literal: the parser sees it, keyword searches do not. It becomes {@code _} rather than a
     * space so a quoted name ({@code "User email"}) stays one word for the rules that read names.
     */
    private void inside() {
        char c = sql.charAt(pos);
        keep(c, c == '\n' ? c : '_');
        pos++;
    }

    /** A character of a comment: replaced by a space (newlines kept, so positions and lines stay true). */
    private void blank() {
        char c = sql.charAt(pos);
        if (c == '\n') {
            line++;
        }
        if (startPos >= 0) {
            char b = c == '\n' ? '\n' : ' ';
            text.append(b);
            code.append(b);
        }
        pos++;
    }

    private void keep(char forText, char forCode) {
        if (startPos < 0 && !Character.isWhitespace(forText)) {
            startPos = pos;
            startLine = line;
        }
        if (forText == '\n') {
            line++;
        }
        if (startPos >= 0) {
            text.append(forText);
            code.append(forCode);
        }
    }

    private void finish() {
        if (startPos >= 0) {
            String t = text.toString().stripTrailing();
            String c = code.substring(0, t.length());
            int eol = t.indexOf('\n');
            out.add(new SqlStatement(startLine, t, c, (eol < 0 ? t : t.substring(0, eol)).strip()));
        }
        text.setLength(0);
        code.setLength(0);
        startPos = -1;
    }
}
