package dev.slipway.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Asserts that what Slipway sent the fake GitHub is what GitHub's REST description allows: each request is an
 * operation of ../shared/github/rest-deployments-openapi.json, found by method and path, and its body fits that
 * operation's requestBody schema. That description is pruned to deployments and environments, so reading branch
 * protection is the one request it lacks; such a request is only allowed without a body.
 */
final class GithubRequests {
    private static final String NOT_DESCRIBED = "/repos/[^/]+/[^/]+/branches/[^/]+/protection";

    private GithubRequests() {
    }

    /** Checks every request when the shared description is present (tests that depend on it require it themselves). */
    static void assertConform(List<FakeGithub.Request> requests) {
        Optional<Path> file = SharedFiles.find(SharedFiles.OPENAPI);
        file.ifPresent(f -> assertThat(problems(new SchemaChecks.OpenApi(f), requests)).isEmpty());
    }

    /** Checks the stub's answers to Actions requests against the description's response schemas (the file is required). */
    static void assertAnswersConform(List<FakeGithub.Answer> answers) {
        SchemaChecks.OpenApi api = new SchemaChecks.OpenApi(SharedFiles.require(SharedFiles.OPENAPI));
        List<String> problems = new ArrayList<>();
        answers.forEach(a -> problems.addAll(api.responseProblems(a.method(), a.path(), a.status(), a.body())));
        assertThat(problems).isEmpty();
    }

    static List<String> problems(SchemaChecks.OpenApi api, List<FakeGithub.Request> requests) {
        List<String> problems = new ArrayList<>();
        for (FakeGithub.Request r : requests) {
            if (r.method().equals("GET") && r.path().matches(NOT_DESCRIBED) && r.body().isEmpty()) {
                continue;
            }
            problems.addAll(api.problems(r.method(), r.path(), r.body()));
        }
        return problems;
    }
}
