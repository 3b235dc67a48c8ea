package dev.slipway.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.journal.EventType;
import dev.slipway.core.journal.Journal;
import dev.slipway.core.journal.Journals;
import dev.slipway.github.FakeGithub.Review;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slipway deploy production} as GitHub Actions runs it (GITHUB_RUN_ID set): the environment's reviews are the
 * stage's approvals. GitHub is out of reach here, so slipway-github's local stub stands in ({@link FakeGithub}, answering
 * the Actions requests from the OpenAPI description's examples); every request the CLI sent is checked against
 * ../shared/github/rest-deployments-openapi.json. The stage's target is the file-steered test target, whose calls.log
 * shows every step the target was asked to run.
 */
class ActionsApprovalIT {
    private static final String SHA = "c0ffee1";
    @TempDir
    Path dir;
    private FakeGithub github;
    private Path control;

    @BeforeEach
    void start() throws Exception {
        SharedFiles.require(SharedFiles.OPENAPI);
        github = new FakeGithub();
        control = Files.createDirectories(dir.resolve("control"));
        Files.writeString(dir.resolve("slipway.yml"), """
                app: shop
                build: {context: .}
                migrations: {command: [migrate], timeout: 2m}
                health: {timeout: 2m}
                stages:
                  production:
                    branch: prod
                    target: test
                    approvals: {required: 2}
                """);
    }

    @AfterEach
    void stop() {
        try {
            GithubRequests.assertConform(github.requests());
            GithubRequests.assertAnswersConform(github.actionsAnswers());
        } finally {
            github.close();
        }
    }

    @Test
    void deploy_onlyThePushersApproval_exits2NamingWhatIsMissingAndBuildsNothing() throws Exception {
        github.actor = "alice";
        github.triggeringActor = "alice";
        github.reviews.add(new Review("alice", "approved", "production"));

        Result r = slipway("deploy", "production", "--commit", SHA);

        assertThat(r.exit()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains("error: refused: stage production needs 2 approval(s) from environment production of"
                + " GitHub Actions run 42 and has 0; not counted: github:alice (started this run;"
                + " stages.production.approvals forbids self-approval)").contains("Nothing was built or changed")
                .doesNotContain("gh-job-secret");
        assertThat(control.resolve("calls.log")).as("the target was asked nothing: no build, no step").doesNotExist();
        try (Journal journal = Journals.open(Journals.defaultUrl(dir), null, null)) {
            assertThat(journal.unfinishedRuns("production")).isEmpty();
            assertThat(journal.run(1)).as("no run was queued").isEmpty();
        }
        assertThat(github.requests()).as("no deployment reported").noneMatch(q -> q.method().equals("POST"))
                .anyMatch(q -> q.path().endsWith("/actions/runs/42/approvals"));
    }

    @Test
    void deploy_twoApprovalsByOthers_deploysWithoutWaitingAndJournalsBoth() throws Exception {
        github.reviews.add(new Review("bob", "approved", "production"));
        github.reviews.add(new Review("carol", "approved", "production"));

        Result r = slipway("deploy", "production", "--commit", SHA);

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("approved by github:bob").contains("approved by github:carol")
                .doesNotContain("waiting for").doesNotContain("gh-job-secret");
        try (Journal journal = Journals.open(Journals.defaultUrl(dir), null, null)) {
            assertThat(journal.events(1)).filteredOn(e -> e.type() == EventType.APPROVED).extracting(e -> e.get("by"))
                    .containsExactlyInAnyOrder("github:bob", "github:carol");
            assertThat(journal.events(1)).noneMatch(e -> e.type() == EventType.APPROVAL_REQUESTED);
        }
    }

    private record Result(int exit, String output) {
    }

    private Result slipway(String... args) throws Exception {
        String cp = dev.slipway.cli.CliClassPath.get();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", cp, "dev.slipway.cli.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-f", dir.resolve("slipway.yml").toString()));
        Path out = Files.createTempFile(dir, "slipway-", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().remove("SLIPWAY_GITHUB_TOKEN");
        pb.environment().remove("GITHUB_SHA");
        pb.environment().putAll(Map.of("SLIPWAY_TEST_DIR", control.toString(), "SLIPWAY_PLAIN", "1",
                "GITHUB_RUN_ID", String.valueOf(FakeGithub.ACTIONS_RUN_ID), "GITHUB_REPOSITORY", FakeGithub.REPO,
                "GITHUB_TOKEN", "gh-job-secret", "GITHUB_API_URL", github.url().toString(), "GITHUB_ACTOR", "alice"));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("slipway did not end in time:\n" + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
