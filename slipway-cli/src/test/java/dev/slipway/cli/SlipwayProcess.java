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

    private SlipwayProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static SlipwayProcess start(Path workDir, Map<String, String> env, String... args) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", cp, "dev.slipway.cli.Main"));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(workDir, "slipway-", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().putAll(env);
        pb.environment().put("SLIPWAY_PLAIN", "1");
        return new SlipwayProcess(pb.start(), out);
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

    String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    static String pathSeparator() {
        return File.pathSeparator;
    }
}
