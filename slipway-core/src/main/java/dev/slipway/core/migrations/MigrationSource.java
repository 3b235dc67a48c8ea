package dev.slipway.core.migrations;

import java.util.Objects;

/**
 * A pending migration file as it is at the commit being deployed.
 *
 * @param path the file's path in the repository, as reasons print it
 * @param text the whole file
 */
public record MigrationSource(String path, String text) {
    public MigrationSource {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(text, "text");
    }
}
