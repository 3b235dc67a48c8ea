package dev.slipway.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request check itself: it must catch what GitHub would reject, or the other tests prove nothing. */
class GithubRequestsTest {
    private static FakeGithub.Request request(String method, String path, String body) {
        return new FakeGithub.Request(method, path, null, null, body);
    }

    private static List<String> problems(FakeGithub.Request r) {
        Path file = SharedFiles.require(SharedFiles.OPENAPI);
        return GithubRequests.problems(new SchemaChecks.OpenApi(file), List.of(r));
    }

    @Test
    void problems_validDeploymentAndStatus_none() {
        assertThat(problems(request("POST", "/repos/a/b/deployments",
                "{\"ref\":\"abc\",\"auto_merge\":false,\"required_contexts\":[],\"payload\":{\"x\":1}}"))).isEmpty();
        assertThat(problems(request("POST", "/repos/a/b/deployments/5/statuses", "{\"state\":\"in_progress\"}"))).isEmpty();
    }

    @Test
    void problems_unknownStatusState_reported() {
        assertThat(problems(request("POST", "/repos/a/b/deployments/5/statuses", "{\"state\":\"done\"}")))
                .singleElement().asString().contains("state");
    }

    @Test
    void problems_deploymentWithoutRef_reported() {
        assertThat(problems(request("POST", "/repos/a/b/deployments", "{\"environment\":\"staging\"}"))).isNotEmpty();
    }

    @Test
    void problems_environmentWithUnknownSetting_reported() {
        assertThat(problems(request("PUT", "/repos/a/b/environments/production", "{\"prevent_self_reviews\":true}"))).isNotEmpty();
    }

    @Test
    void problems_environmentWithNullBranchPolicy_noneSinceOpenApiAllowsNull() {
        assertThat(problems(request("PUT", "/repos/a/b/environments/production", "{\"deployment_branch_policy\":null}"))).isEmpty();
    }

    @Test
    void problems_operationNotDescribed_reported() {
        assertThat(problems(request("POST", "/repos/a/b/branches/prod/protection", "{}"))).singleElement().asString()
                .contains("no such operation");
    }
}
