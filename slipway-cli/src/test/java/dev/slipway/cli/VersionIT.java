package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The packaged jar and the release jar say which version and which commit they were built from. */
class VersionIT {
    static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));

    @Test
    void version_ofThePackagedJar_namesTheProjectVersionAndTheCommitItWasBuiltFrom() throws Exception {
        assertVersionAndCommit(CliClassPath.jarOr(BASEDIR.resolve("target/slipway.jar")));
    }

    /** Issue 12: {@code java -jar slipway-VERSION.jar --version}, on the jar as released (shrunk by ProGuard). */
    @Test
    void version_ofTheReleaseJar_namesTheProjectVersionAndTheCommitItWasBuiltFrom() throws Exception {
        Path jar = ReleaseJar.path();
        assertThat(jar.getFileName()).hasToString("slipway-" + System.getProperty("slipway.version") + ".jar");
        assertVersionAndCommit(jar);
    }

    private static void assertVersionAndCommit(Path jar) throws Exception {
        assertThat(jar).exists();
        String version = System.getProperty("slipway.version");
        assertThat(version).as("failsafe passes the project version").isNotBlank();

        Result printed = run(BASEDIR, Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "--version");
        Result head = run(BASEDIR, "git", "rev-parse", "HEAD");
        Result changes = run(BASEDIR, "git", "status", "--porcelain", "--untracked-files=no");

        assertThat(printed.code()).isZero();
        if (head.code() != 0) { // built from sources outside a git checkout
            assertThat(printed.out()).isEqualTo("slipway " + version + " (commit unknown)");
        } else {
            String dirty = changes.out().isEmpty() ? "" : "-dirty";
            assertThat(printed.out()).isEqualTo("slipway " + version + " (commit " + head.out() + dirty + ")");
        }
    }

    record Result(int code, String out) {
    }

    private static Result run(Path dir, String... cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("version-it", ".out");
        try {
            Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not end within 30 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip());
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
