package dev.slipway.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starts {@code slipway} as a separate JVM on the test class path (so the test target is installed), output to a file. */
final class SlipwayProcess {
    final Process process;
    final Path output;
    private final Path errors;

    private SlipwayProcess(Process process, Path output, Path errors) {
        this.process = process;
        this.output = output;
        this.errors = errors;
    }

    static SlipwayProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        return start(workDir, env, List.of(), args);
    }

    /** With {@code jvmOptions} for the slipway JVM, e.g. {@code -Xint} to make start-up slow enough to hit a moment in it. */
    static SlipwayProcess start(Path workDir, Map<String, String> env, List<String> jvmOptions, String... args) throws IOException {
        return launch(workDir, env, jvmOptions, false, args);
    }

    /** Keeps standard error apart from {@link #output()}: read it with {@link #errors()}. */
    static SlipwayProcess startWithErrorsApart(Path workDir, Map<String, String> env, String... args) throws IOException {
        return launch(workDir, env, List.of(), true, args);
    }

    private static SlipwayProcess launch(Path workDir, Map<String, String> env, List<String> jvmOptions, boolean errorsApart,
                                         String... args) throws IOException {
        String cp = CliClassPath.get();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", cp, "dev.slipway.cli.Main"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "slipway-", ".out");
        Path err = errorsApart ? Files.createTempFile(workDir, "slipway-", ".err") : null;
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectOutput(out.toFile());
        if (err == null) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(err.toFile());
        }
        pb.environment().putAll(env);
        pb.environment().put("SLIPWAY_PLAIN", "1");
        return new SlipwayProcess(pb.start(), out, err);
    }

    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("slipway did not end within " + seconds + "s; output:\n" + output());
        }
        return process.exitValue();
    }

    void kill() throws InterruptedException {
        process.destroyForcibly(); // SIGKILL on Linux
        process.waitFor(10, TimeUnit.SECONDS);
    }

    void signal(String name) throws IOException, InterruptedException {
        Process k = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
        k.waitFor(5, TimeUnit.SECONDS);
    }

    /** Standard output, and standard error too unless it was kept apart. */
    String output() {
        return read(output);
    }

    String errors() {
        if (errors == null) {
            throw new IllegalStateException("standard error went to output(): start with startWithErrorsApart");
        }
        return read(errors);
    }

    /** SIGTERM at once (Process.destroy on Linux): quicker than starting {@code kill} when the moment matters. */
    void terminate() {
        process.destroy();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    static String pathSeparator() {
        return File.pathSeparator;
    }
}
