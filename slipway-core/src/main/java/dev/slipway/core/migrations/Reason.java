package dev.slipway.core.migrations;

import java.util.Objects;

/**
 * Why a deploy is breaking, pointing at the statement that makes it so.
 *
 * @param file      the migration file's path
 * @param line      1-based line where the statement starts; 0 when the reason is about the file itself
 *                  (an applied migration edited or deleted)
 * @param statement the statement's first line as written (empty for a file-level reason)
 * @param why       what the old release would suffer, in words a user can act on
 */
public record Reason(String file, int line, String statement, String why) {
    public Reason {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(statement, "statement");
        Objects.requireNonNull(why, "why");
        if (line < 0) {
            throw new IllegalArgumentException("line must be >= 0: " + line);
        }
    }

    /** {@code db/migration/V7__drop_legacy.sql:3 ALTER TABLE users DROP COLUMN legacy — drops a column …}. */
    public String render() {
        return line == 0 ? file + " — " + why : file + ":" + line + " " + statement + " — " + why;
    }
}
