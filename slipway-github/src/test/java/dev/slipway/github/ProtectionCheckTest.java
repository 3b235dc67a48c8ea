package dev.slipway.github;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.github.CheckReport.Result;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProtectionCheckTest {
    private final FakeGithub github = new FakeGithub();
    private final GithubApi api = Fixtures.api(github.url(), new Fixtures.RecordingSleeper());

    ProtectionCheckTest() throws IOException {
    }

    @AfterEach
    void stop() {
        GithubRequests.assertConform(github.requests());
        github.close();
    }

    private CheckReport check(boolean fix) {
        return ProtectionCheck.run(api, FakeGithub.REPO, fix);
    }

    private static Result result(CheckReport report, String checkPrefix) {
        return report.rows().stream().filter(r -> r.check().startsWith(checkPrefix)).findFirst().orElseThrow().result();
    }

    /** What a careless repository looks like: the environment exists with a reviewer, nothing else is set. */
    private void looseEnvironment() {
        github.preventSelfReview = false;
        github.branchPolicy = null;
        github.allowedBranches.clear();
    }

    @Test
    void run_everythingProtected_passes() {
        CheckReport report = check(false);

        assertThat(report.passed()).as(report.render()).isTrue();
        assertThat(report.rows()).hasSize(5);
        assertThat(report.render()).contains("passed: production is protected").contains("pass     branch prod requires");
    }

    @Test
    void run_branchProtectionAllowsAdminBypass_fails() {
        github.enforceAdmins = false;

        CheckReport report = check(false);

        assertThat(report.passed()).isFalse();
        assertThat(report.anyFailed()).isTrue();
        assertThat(result(report, "admins cannot bypass")).isEqualTo(Result.FAIL);
        assertThat(result(report, "branch prod requires")).isEqualTo(Result.PASS);
        assertThat(report.render()).contains("FAIL     admins cannot bypass prod's protection")
                .contains("FAILED: 1 of 5 checks did not pass");
    }

    @Test
    void run_branchNotProtected_failsBothBranchRules() {
        github.protectedBranch = "main";

        CheckReport report = check(false);

        assertThat(result(report, "branch prod requires")).isEqualTo(Result.FAIL);
        assertThat(result(report, "admins cannot bypass")).isEqualTo(Result.FAIL);
    }

    @Test
    void run_pullRequestsWithoutReviews_fails() {
        github.requireReviews = false;
        assertThat(result(check(false), "branch prod requires")).isEqualTo(Result.FAIL);
    }

    @Test
    void run_tokenCannotReadBranchProtection_reportsUnknownNotPassed() {
        github.branchProtectionForbidden = true;

        CheckReport report = check(false);

        assertThat(result(report, "admins cannot bypass")).isEqualTo(Result.UNKNOWN);
        assertThat(report.passed()).isFalse();
        assertThat(report.anyFailed()).isFalse();
        assertThat(report.render()).contains("Resource not accessible by integration").contains("Administration");
    }

    @Test
    void run_looseEnvironment_failsSelfReviewAndBranchRules() {
        looseEnvironment();

        CheckReport report = check(false);

        assertThat(result(report, "environment production has required reviewers")).isEqualTo(Result.PASS);
        assertThat(result(report, "environment production forbids self-review")).isEqualTo(Result.FAIL);
        assertThat(result(report, "environment production accepts deployments from prod only")).isEqualTo(Result.FAIL);
    }

    @Test
    void run_environmentAllowsAnotherBranchToo_fails() {
        github.allowedBranches.add("hotfix");
        assertThat(result(check(false), "environment production accepts")).isEqualTo(Result.FAIL);
    }

    @Test
    void run_environmentAllowsAnyProtectedBranch_fails() {
        github.branchPolicy = "protected";
        assertThat(result(check(false), "environment production accepts")).isEqualTo(Result.FAIL);
    }

    @Test
    void run_noEnvironment_failsEveryEnvironmentRule() {
        github.environmentExists = false;

        CheckReport report = check(false);

        assertThat(report.rows().stream().filter(r -> r.check().startsWith("environment")))
                .hasSize(3).allSatisfy(r -> assertThat(r.result()).isEqualTo(Result.FAIL));
    }

    @Test
    void run_withFixOnLooseEnvironment_sendsTheSettingsThatMakeItPass() {
        looseEnvironment();

        CheckReport report = check(true);

        assertThat(report.passed()).as(report.render()).isTrue();
        JsonNode put = github.requests().stream().filter(r -> r.method().equals("PUT")).findFirst().orElseThrow().json();
        assertThat(put.path("prevent_self_review").asBoolean()).isTrue();
        assertThat(put.path("reviewers").get(0).path("id").asLong()).as("keeps the reviewers it had").isEqualTo(7);
        assertThat(put.path("deployment_branch_policy").path("custom_branch_policies").asBoolean()).isTrue();
        assertThat(put.path("deployment_branch_policy").path("protected_branches").asBoolean(true)).isFalse();
        assertThat(github.allowedBranches).containsExactly("prod");
        assertThat(report.fixed()).hasSize(2);
        assertThat(report.render()).contains("fixed: environment production: prevent self-review on");
    }

    @Test
    void run_withFixWhenEverythingHolds_changesNothing() {
        CheckReport report = check(true);

        assertThat(report.passed()).isTrue();
        assertThat(report.fixed()).isEmpty();
        assertThat(github.requests()).noneMatch(r -> !r.method().equals("GET"));
    }

    @Test
    void run_withFixAndAdminBypass_fixesEnvironmentButStillFails() {
        looseEnvironment();
        github.enforceAdmins = false;

        CheckReport report = check(true);

        assertThat(report.passed()).isFalse();
        assertThat(result(report, "admins cannot bypass")).isEqualTo(Result.FAIL);
        assertThat(result(report, "environment production forbids self-review")).isEqualTo(Result.PASS);
    }

    @Test
    void run_withFixAndAnotherBranchAllowed_saysWhatIsLeftToRemove() {
        github.allowedBranches.add("hotfix");

        CheckReport report = check(true);

        assertThat(report.fixed()).singleElement().asString().contains("also allows 'hotfix'");
        assertThat(report.passed()).isFalse();
    }

    @Test
    void run_githubDown_isUnknownAndMarkedUnavailable() {
        github.fault("GET", ".*", 503, Map.of(), 100);

        CheckReport report = check(false);

        assertThat(report.githubUnavailable()).isTrue();
        assertThat(report.rows()).extracting(CheckReport.Row::result).containsOnly(Result.UNKNOWN);
        assertThat(report.passed()).isFalse();
    }

    @Test
    void target_ofSpecWithRenamedProductionStage_checksItsNameAndBranch() {
        var spec = Fixtures.spec(Fixtures.LOCAL_SPEC.replace("branch: prod", "branch: release"), java.nio.file.Path.of("."));
        assertThat(ProtectionCheck.Target.of(spec)).isEqualTo(new ProtectionCheck.Target("production", "release"));
        assertThat(List.of(ProtectionCheck.Target.DEFAULT)).containsExactly(new ProtectionCheck.Target("production", "prod"));
    }
}
