package dev.slipway.github;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.spec.ApprovalsSpec;
import dev.slipway.github.CheckReport.Row;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code slipway github check}'s row about approvals: can the production environment's reviews give what the stage's
 * {@code approvals} ask of a deploy from Actions? GitHub is a local stub ({@link FakeGithub}); every request is checked
 * against the shared OpenAPI description. The stub's environment has one reviewer, reviewer7, and prevents self-review.
 */
class ApprovalsCheckTest {
    private static final String ROW = "environment production's reviews give approvals.required";
    private final FakeGithub github = new FakeGithub();
    private final GithubApi api = Fixtures.api(github.url(), new Fixtures.RecordingSleeper());

    ApprovalsCheckTest() throws IOException {
    }

    @AfterEach
    void stop() {
        GithubRequests.assertConform(github.requests());
        github.close();
    }

    private Row row(int required, List<String> approvers, boolean self) {
        CheckReport report = ProtectionCheck.run(api, FakeGithub.REPO, ProtectionCheck.Target.DEFAULT,
                new ApprovalsSpec(required, approvers, self, Duration.ofHours(1)), false);
        return report.rows().stream().filter(r -> r.check().startsWith(ROW)).findFirst().orElseThrow();
    }

    @Test
    void check_oneRequiredAndAReviewerWhoCounts_passes() {
        assertThat(row(1, List.of(), false)).isEqualTo(new Row(ROW + " (1)", CheckReport.Result.PASS, "reviewers who count: reviewer7"));
    }

    @Test
    void check_twoRequired_failsBecauseOneReviewLetsTheJobGoOn() {
        assertThat(row(2, List.of(), false).detail()).startsWith("GitHub lets a job go on once one reviewer approves");
        assertThat(row(2, List.of(), false).result()).isEqualTo(CheckReport.Result.FAIL);
    }

    @Test
    void check_reviewerNotAmongTheApprovers_fails() {
        Row r = row(1, List.of("alice", "github:bob"), false);

        assertThat(r.result()).isEqualTo(CheckReport.Result.FAIL);
        assertThat(r.detail()).isEqualTo("no required reviewer among approvals.approvers: a deploy from Actions is refused");
        assertThat(row(1, List.of("github:Reviewer7"), false).result()).isEqualTo(CheckReport.Result.PASS);
    }

    @Test
    void check_selfReviewAllowedButSelfApprovalNot_fails() {
        github.preventSelfReview = false;

        assertThat(row(1, List.of(), false).detail()).contains("enable \"Prevent self-review\"");
        assertThat(row(1, List.of(), true).result()).isEqualTo(CheckReport.Result.PASS);
    }

    @Test
    void check_noEnvironment_fails() {
        github.environmentExists = false;

        assertThat(row(1, List.of(), false).result()).isEqualTo(CheckReport.Result.FAIL);
    }

    @Test
    void check_stageWithoutApprovals_hasNoSuchRow() {
        CheckReport report = ProtectionCheck.run(api, FakeGithub.REPO, false);

        assertThat(report.rows()).noneMatch(r -> r.check().startsWith(ROW));
    }
}
