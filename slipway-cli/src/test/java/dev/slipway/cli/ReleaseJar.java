package dev.slipway.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The release jar, target/release/slipway-VERSION.jar (the shaded jar shrunk by ProGuard), as failsafe names it in
 * {@code slipway.release.jar} when the build runs with {@code -P release} (scripts/test.sh does). Tests of it skip
 * without it, but fail under CI=true.
 */
final class ReleaseJar {
    private ReleaseJar() {
    }

    static Path path() {
        String jar = System.getProperty("slipway.release.jar");
        if (jar == null || jar.isBlank() || !Files.isRegularFile(Path.of(jar))) {
            CliProject.unavailable("no release jar (" + jar + "): build with -P release, as scripts/test.sh does");
        }
        return Path.of(jar).toAbsolutePath();
    }
}
