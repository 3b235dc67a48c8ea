package dev.slipway.core.migrations;

import java.util.List;
import java.util.Objects;

/**
 * The class of a whole deploy: the strongest of its files' classes ({@link MigrationClass#NONE} when there is no
 * file), with every breaking reason in the order the migrations run.
 */
public record Classification(MigrationClass cls, List<Reason> reasons, List<FileResult> files) {
    public Classification {
        Objects.requireNonNull(cls, "cls");
        reasons = List.copyOf(reasons);
        files = List.copyOf(files);
    }

    /** True when the deploy may migrate while the old release keeps serving. */
    public boolean online() {
        return cls != MigrationClass.BREAKING;
    }
}
