package dev.slipway.core.migrations;

/**
 * What a deploy's pending migrations do to a database the old release is still using, which decides how the
 * deploy may proceed: {@link #NONE} and {@link #EXPAND} deploy online (migrate while the old release serves,
 * start the new one, switch, stop the old), {@link #BREAKING} stops the old release first.
 */
public enum MigrationClass {
    /** No pending migration file. */
    NONE,
    /** Only additions the old release does not notice: new tables, nullable columns, indexes, seed rows… */
    EXPAND,
    /** Something the old release may trip over, or something Slipway could not prove harmless. */
    BREAKING;

    /** The stronger of the two: one breaking statement makes its file and its deploy breaking. */
    public MigrationClass max(MigrationClass other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
