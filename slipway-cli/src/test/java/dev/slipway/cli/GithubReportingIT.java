package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI reports a deploy to GitHub when a token is set, and a GitHub that is down never fails the deploy.
 * GitHub itself is out of reach here, so a small local stub stands in for it (slipway-github's own tests check the
 * request bodies against GitHub's OpenAPI description).
 */
class GithubReportingIT {
    @TempDir
    Path dir;

    @Test
    void deploy_withToken_createsADeploymentAndPostsStatusesEndingInSuccess() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        HttpServer github = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        github.createContext("/", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath() + " " + body);
            boolean list = ex.getRequestMethod().equals("GET");
            byte[] out = (list ? "[]" : "{\"id\": 77}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(list ? 200 : 201, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        github.start();
        try (ProcessFixture f = new ProcessFixture(dir)) {
            SlipwayProcess p = SlipwayProcess.start(dir, env(f, "http://127.0.0.1:" + github.getAddress().getPort()),
                    "deploy", "staging", "--commit", "c0ffee1", "-f", f.spec.toString());

            assertThat(p.waitFor(60)).as(p.output()).isZero();
            assertThat(requests).anyMatch(r -> r.startsWith("POST /repos/acme/hello/deployments ") && r.contains("\"ref\":\"c0ffee1\"")
                    && r.contains("\"environment\":\"staging\"") && r.contains("\"auto_merge\":false"));
            List<String> states = requests.stream().filter(r -> r.startsWith("POST /repos/acme/hello/deployments/77/statuses"))
                    .map(r -> r.replaceAll(".*\"state\":\"([a-z_]+)\".*", "$1")).toList();
            assertThat(states).contains("in_progress").last().isEqualTo("success");
        } finally {
            github.stop(0);
        }
    }

    @Test
    void deploy_githubDown_deploySucceedsAndSaysSo() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (ProcessFixture f = new ProcessFixture(dir)) {
            SlipwayProcess p = SlipwayProcess.start(dir, env(f, "http://127.0.0.1:" + closedPort),
                    "deploy", "staging", "--commit", "c0ffee1", "-f", f.spec.toString());

            assertThat(p.waitFor(90)).as(p.output()).isZero();
            assertThat(p.output()).contains("run 1 (staging, c0ffee1) succeeded").doesNotContain("gh-secret-token");
        }
    }

    @Test
    void deploy_githubRefusesTheDeployment_warnsOnStandardErrorAndSucceeds() throws Exception {
        HttpServer github = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        github.createContext("/", ex -> {
            boolean list = ex.getRequestMethod().equals("GET");
            byte[] out = (list ? "[]" : "{\"message\": \"Validation Failed\"}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(list ? 200 : 422, out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        github.start();
        try (ProcessFixture f = new ProcessFixture(dir)) {
            SlipwayProcess p = SlipwayProcess.startWithErrorsApart(dir, env(f, "http://127.0.0.1:" + github.getAddress().getPort()),
                    "deploy", "staging", "--commit", "c0ffee1", "-f", f.spec.toString());

            assertThat(p.waitFor(60)).as(p.output() + p.errors()).isZero();
            assertThat(p.errors()).contains("warning: GithubDeploymentReporter: GitHub did not create a deployment for run 1 (HTTP 422")
                    .doesNotContain("gh-secret-token");
            assertThat(p.errors().lines()).as("only warnings and errors, one line each").isNotEmpty()
                    .allMatch(l -> l.startsWith("warning: ") || l.startsWith("error: "));
            assertThat(p.output()).contains("run 1 (staging, c0ffee1) succeeded").doesNotContain("warning: GithubDeploymentReporter");
        } finally {
            github.stop(0);
        }
    }

    private static Map<String, String> env(ProcessFixture f, String api) throws IOException {
        return Map.of("SLIPWAY_TEST_DIR", f.control.toString(), "GITHUB_TOKEN", "gh-secret-token", "GITHUB_REPOSITORY",
                "acme/hello", "GITHUB_API_URL", api);
    }
}
