package dev.slipway.core.journal;

import java.sql.SQLException;

/** The little that differs between the two stores: the store's clock, a row lock, and how a unique violation looks. */
enum Dialect {
    SQLITE("cast(unixepoch('subsec') * 1000 as integer)", ""),
    POSTGRES("cast(extract(epoch from clock_timestamp()) * 1000 as bigint)", " for share");

    /** The store's clock in epoch milliseconds: lease expiry never compares the clocks of different hosts. */
    final String nowMs;
    /**
     * Appended to the select that reads the lease before a fenced write: holds off a takeover until the write commits
     * (SQLite needs none: its write transactions start IMMEDIATE and so exclude each other).
     */
    final String lockRow;

    Dialect(String nowMs, String lockRow) {
        this.nowMs = nowMs;
        this.lockRow = lockRow;
    }

    static Dialect of(String url) {
        return url.startsWith("jdbc:sqlite:") ? SQLITE : POSTGRES;
    }

    /** Whether {@code e} says a unique or primary key constraint refused a row (both drivers). */
    static boolean isUniqueViolation(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && ("23505".equals(s.getSQLState())
                    || s.getErrorCode() == 19 && String.valueOf(s.getMessage()).contains("constraint failed: UNIQUE")
                    || String.valueOf(s.getMessage()).contains("UNIQUE constraint failed"))) {
                return true;
            }
        }
        return false;
    }
}
