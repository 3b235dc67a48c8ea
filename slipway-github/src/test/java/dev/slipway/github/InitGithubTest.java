package dev.slipway.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.spec.SlipwaySpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitGithubTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
    private SlipwayAction action = SlipwayAction.release("1.4.2");

    private Path staging() {
        return dir.resolve(".github/workflows/slipway-staging.yml");
    }

    private int init(String yaml, boolean force) {
        printed.reset();
        SlipwaySpec spec = Fixtures.spec(yaml, dir);
        return InitGithub.run(dir, spec, action, force, out);
    }

    private String output() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    void run_emptyProject_writesOneWorkflowPerStageAndPrintsWhatIsLeftToDo() {
        assertThat(init(Fixtures.LOCAL_SPEC, false)).isZero();
        assertThat(staging()).exists();
        assertThat(dir.resolve(".github/workflows/slipway-production.yml")).exists();
        assertThat(output()).contains("wrote: .github/workflows/slipway-staging.yml")
                .contains("Still to do in GitHub")
                .contains("Protect branch prod").contains("Create the environment production")
                .contains("Prevent self-review").contains("SLIPWAY_STATE_URL").contains("PAYMENT_KEY, STAGING_DB_PASSWORD")
                .doesNotContain("launcher").doesNotContain("development build");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> dir.relativize(p).toString())).as("nothing but the workflows")
                    .containsExactly(".github");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void run_ecsProject_printsTheOidcTrustForEachRole() {
        assertThat(init(Fixtures.ECS_SPEC, false)).isZero();
        assertThat(output()).contains("arn:aws:iam::123456789012:role/slipway-production when "
                + "token.actions.githubusercontent.com:sub is repo:OWNER/REPO:environment:production")
                .contains("repo:OWNER/REPO:ref:refs/heads/main");
    }

    @Test
    void run_secondTimeWithSameConfig_leavesFilesUnchanged() {
        init(Fixtures.LOCAL_SPEC, false);
        assertThat(init(Fixtures.LOCAL_SPEC, false)).isZero();
        assertThat(output()).contains("unchanged: .github/workflows/slipway-staging.yml");
    }

    @Test
    void run_fileEditedByUser_refusesWithoutForceAndWritesNothing() throws IOException {
        init(Fixtures.LOCAL_SPEC, false);
        String edited = Files.readString(staging()).replace("ubuntu-latest", "my-runner");
        Files.writeString(staging(), edited);
        Files.delete(dir.resolve(".github/workflows/slipway-production.yml"));

        assertThat(init(Fixtures.LOCAL_SPEC, false)).isEqualTo(2);

        assertThat(output()).contains("refused: .github/workflows/slipway-staging.yml").contains("--force");
        assertThat(staging()).hasContent(edited);
        assertThat(dir.resolve(".github/workflows/slipway-production.yml")).doesNotExist();
    }

    @Test
    void run_fileEditedByUserWithForce_overwritesIt() throws IOException {
        init(Fixtures.LOCAL_SPEC, false);
        String original = Files.readString(staging());
        Files.writeString(staging(), original + "# mine\n");

        assertThat(init(Fixtures.LOCAL_SPEC, true)).isZero();

        assertThat(output()).contains("overwrote (--force): .github/workflows/slipway-staging.yml");
        assertThat(staging()).hasContent(original);
    }

    @Test
    void run_fileNotWrittenBySlipway_refusesWithoutForce() throws IOException {
        Files.createDirectories(staging().getParent());
        Files.writeString(staging(), "name: hand made\n");
        assertThat(init(Fixtures.LOCAL_SPEC, false)).isEqualTo(2);
        assertThat(staging()).hasContent("name: hand made\n");
    }

    @Test
    void run_untouchedFileAndChangedConfig_updatesWithoutForce() {
        init(Fixtures.LOCAL_SPEC, false);
        assertThat(init(Fixtures.LOCAL_SPEC.replace("branch: main", "branch: develop"), false)).isZero();
        assertThat(output()).contains("updated: .github/workflows/slipway-staging.yml");
        assertThat(staging()).content().contains("- develop");
    }

    @Test
    void run_developmentBuild_writesTheWorkflowsAndSaysNoReleaseOfItExists() {
        action = SlipwayAction.release("0.1.0-SNAPSHOT");
        assertThat(init(Fixtures.LOCAL_SPEC, false)).isZero();
        assertThat(staging()).content().contains("slipway-dev/slipway@v0.1.0-SNAPSHOT");
        assertThat(output()).contains("This Slipway is a development build (0.1.0-SNAPSHOT): no release v0.1.0-SNAPSHOT");
    }

    @Test
    void run_newSlipwayVersion_updatesUntouchedWorkflowsToIt() {
        init(Fixtures.LOCAL_SPEC, false);
        action = SlipwayAction.release("1.5.0");
        assertThat(init(Fixtures.LOCAL_SPEC, false)).isZero();
        assertThat(output()).contains("updated: .github/workflows/slipway-staging.yml");
        assertThat(staging()).content().contains("slipway-dev/slipway@v1.5.0").doesNotContain("1.4.2");
    }

    @Test
    void run_ecsStageWithoutRole_printsTheProblemAndReturns2() {
        int code = init(Fixtures.ECS_SPEC.replace("role-arn: arn:aws:iam::123456789012:role/slipway-staging", "container: app"), false);
        assertThat(code).isEqualTo(2);
        assertThat(output()).contains("stages.staging.ecs.role-arn");
        assertThat(staging()).doesNotExist();
    }
}
