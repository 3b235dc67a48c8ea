package dev.slipway.core.migrations;

import java.util.List;
import java.util.Objects;

/**
 * The class of one migration file and, when it is breaking, every reason in it in file order.
 */
public record FileResult(String file, MigrationClass cls, List<Reason> reasons) {
    public FileResult {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(cls, "cls");
        reasons = List.copyOf(reasons);
    }
}
