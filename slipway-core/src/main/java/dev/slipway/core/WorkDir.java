package dev.slipway.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Slipway's own directory beside {@code slipway.yml} ({@code .slipway/}: the default journal, unpacked commits,
 * snapshots). It ignores itself in git, so a project without its own ignore rules never commits Slipway's state,
 * and build contexts never include it (see the images module).
 */
public final class WorkDir {
    public static final String NAME = ".slipway";

    private WorkDir() {
    }

    /** Creates {@code dir} (and parents); when it is a {@code .slipway} directory, makes git ignore everything in it. */
    public static Path prepare(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path own = findOwn(dir);
        if (own != null) {
            Path ignore = own.resolve(".gitignore");
            if (!Files.exists(ignore)) {
                Files.writeString(ignore, "# Slipway's own state (journal, unpacked commits, snapshots): never commit it\n*\n");
            }
        }
        return dir;
    }

    /** The {@code .slipway} directory {@code dir} is, or is inside of, if any. */
    private static Path findOwn(Path dir) {
        for (Path p = dir.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (p.getFileName() != null && p.getFileName().toString().equals(NAME)) {
                return p;
            }
        }
        return null;
    }
}
