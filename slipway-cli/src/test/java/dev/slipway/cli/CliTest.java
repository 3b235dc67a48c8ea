package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path dir;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("slipway.yml"), yaml);
    }

    @Test
    void validate_fileWithThreeMistakes_printsAllWithPathsAndExits2() throws IOException {
        Path f = file("""
                app: demo
                build: {context: .}
                stages:
                  staging: {branch: main, target: locl, replicas: 0}
                  production: {branch: prod, approvals: {required: 0}}
                """);

        int code = run("validate", "-f", f.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("3 problem(s)")
                .contains("stages.staging.target: must be one of")
                .contains("stages.staging.replicas: must be at least 1, found 0")
                .contains("stages.production.approvals.required: must be at least 1, found 0");
    }

    @Test
    void validate_validFile_exits0() throws IOException {
        Path f = file("""
                app: demo
                build: {context: .}
                stages:
                  staging: {branch: main, target: local}
                """);

        assertThat(run("validate", "-f", f.toString())).isZero();
        assertThat(out.toString()).contains("is valid: app demo, stages staging (local, branch main)");
    }

    @Test
    void validate_jsonOutput_listsProblems() throws IOException {
        Path f = file("app: demo\nbuild: {context: .}\nstages: {staging: {branch: main, colour: red}}\n");

        assertThat(run("validate", "-f", f.toString(), "--output", "json")).isEqualTo(2);
        assertThat(out.toString()).contains("\"valid\" : false").contains("stages.staging.colour: unknown key");
    }

    @Test
    void validate_missingFile_saysSoAndExits2() {
        assertThat(run("validate", "-f", dir.resolve("nope.yml").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("nope.yml: no such file");
    }

    @Test
    void help_onASubcommand_printsItsUsageAndExits0() {
        assertThat(run("deploy", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: slipway deploy").contains("--commit").contains("STAGE");
    }

    @Test
    void unknownCommand_exits2WithUsage() {
        assertThat(run("deplo")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument").contains("deploy");
    }

    @Test
    void deploy_unknownStage_exits2NamingTheStages() throws IOException {
        Path f = file("app: demo\nbuild: {context: .}\nstages: {staging: {branch: main, target: test}}\n");

        assertThat(run("deploy", "stagin", "-f", f.toString(), "--commit", "abc")).isEqualTo(2);
        assertThat(err.toString()).contains("no stage 'stagin'").contains("stages are staging");
    }

    @Test
    void status_unreachableStateStore_exits2() throws IOException {
        Path f = file("""
                app: demo
                build: {context: .}
                state: {url: "jdbc:postgresql://127.0.0.1:1/nothing"}
                stages: {staging: {branch: main, target: test}}
                """);

        assertThat(run("status", "-f", f.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot open state store jdbc:postgresql://127.0.0.1:1/nothing");
    }

    @Test
    void logs_unknownRun_exits2() throws IOException {
        Path f = file("app: demo\nbuild: {context: .}\nstages: {staging: {branch: main, target: test}}\n");

        assertThat(run("logs", "42", "-f", f.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("no run 42");
    }
}
