package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The other side of the hostile corpus: what the input rules of issue 9 still accept, and how a bug is reported. */
class CommandLineRulesTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    Path project() throws IOException {
        return Files.writeString(dir.resolve("slipway.yml"), HostileCommandLineTest.YAML);
    }

    @Test
    void plan_branchNameInAGitCheckout_resolvesToTheCommitsFullSha() throws Exception {
        Path f = project();
        git("init", "-q", "-b", "main");
        git("add", "slipway.yml");
        git("-c", "user.name=t", "-c", "user.email=t@localhost", "commit", "-qm", "one");
        String head = git("rev-parse", "HEAD");

        assertThat(run("plan", "staging", "--commit", "main", "--output", "json", "-f", f.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"commit\" : \"" + head + "\"");
    }

    @Test
    void plan_upperCaseShaOutsideAGitCheckout_isTakenInLowerCase() throws IOException {
        Path f = project();

        assertThat(run("plan", "staging", "--commit", "ABCDEF1", "--output", "json", "-f", f.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("\"commit\" : \"abcdef1\"");
    }

    @Test
    void runs_limitAtItsBound_isAccepted() throws IOException {
        Path f = project();

        assertThat(run("runs", "--limit", "10000", "-f", f.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("RUN ");
    }

    @Test
    void unexpectedException_isOneLineWithoutStackTraceAndExits3() {
        int code = Main.failed(new IllegalStateException("broken invariant\nsecond line"), new PrintWriter(err, true));

        assertThat(code).isEqualTo(3);
        assertThat(err.toString()).startsWith("error: unexpected IllegalStateException: broken invariant (this is a bug")
                .contains("SLIPWAY_LOG=debug").doesNotContain("second line").doesNotContain("\tat ");
        assertThat(err.toString().lines()).hasSize(1);
    }

    private String git(String... args) throws IOException, InterruptedException {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("git"));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }
}
