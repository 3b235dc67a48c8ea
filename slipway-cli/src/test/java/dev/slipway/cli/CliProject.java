package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A scratch project that integration tests deploy with the real command line: the CLI run in its own JVM from the
 * test class path (or SLIPWAY_IT_JAR, see {@link CliClassPath}) in the project directory (SQLite journal there, no state URL or GitHub commit from the test's
 * environment), and git run in the same directory.
 */
final class CliProject {
    /** How a CLI run ended. */
    record Result(int code, String output) {
    }

    private final Path project;
    private final Path scratch;
    private final String umask;
    private final String classPath;

    /**
     * @param scratch where the runs' output files go: outside {@code project}, so git sees only what Slipway wrote
     * @param umask   the umask the CLI runs under (e.g. "022", to show Slipway sets its own modes), or null to inherit
     */
    CliProject(Path project, Path scratch, String umask) {
        this(project, scratch, umask, CliClassPath.get());
    }

    /** As above, the CLI started with {@code classPath} (e.g. the release jar alone). */
    CliProject(Path project, Path scratch, String umask, String classPath) {
        this.project = project;
        this.scratch = scratch;
        this.umask = umask;
        this.classPath = classPath;
    }

    Result slipway(String... args) throws Exception {
        String cp = classPath;
        List<String> cmd = new ArrayList<>();
        if (umask != null) {
            cmd.addAll(List.of("sh", "-c", "umask " + umask + "; exec \"$0\" \"$@\""));
        }
        cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-cp", cp, "dev.slipway.cli.Main"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(scratch, "slipway-", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("SLIPWAY_PLAIN", "1");
        List.of("SLIPWAY_STATE_URL", "SLIPWAY_STATE_USER", "SLIPWAY_STATE_PASSWORD", "GITHUB_SHA").forEach(pb.environment()::remove);
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("slipway " + String.join(" ", args) + " did not end; output:\n" + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out));
    }

    String git(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@localhost"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** The container engine of DOCKER_HOST, when it answers and has {@code image}; else the test is skipped (or fails under CI). */
    static com.github.dockerjava.api.DockerClient engineWith(String image) {
        try {
            com.github.dockerjava.api.DockerClient docker = dev.slipway.images.DockerClients.fromEnvironment();
            docker.pingCmd().exec();
            docker.inspectImageCmd(image).exec();
            return docker;
        } catch (RuntimeException e) {
            unavailable("no container engine with " + image + " answers (" + e.getMessage() + ")");
            throw e; // not reached: unavailable throws
        }
    }

    /** Skips the test when a service it needs is missing, but fails it under CI=true, where it must be there. */
    static void unavailable(String why) {
        String msg = why + "; run scripts/env-up.sh (then source ~/.slipway-env/env.sh)";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(msg + " — CI=true, so this fails instead of skipping");
        }
        Assumptions.abort(msg);
    }

    static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
