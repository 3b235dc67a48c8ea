package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: the release jar (shrunk by ProGuard) alone on the class path deploys a tiny app (busybox httpd) to a local
 * stage through the container engine, with the SQLite journal, and lists the run: the smoke test that ProGuard left
 * in what a deploy loads by name (the local target's ServiceLoader entry, Flyway's journal migrations, sqlite-jdbc's
 * natives, docker-java's Jackson models, logback). The other CLI ITs run against it with SLIPWAY_IT_JAR. Needs the
 * release jar (-P release) and the container engine of scripts/env-up.sh; skips without them unless CI=true.
 */
class ReleaseJarIT {
    private static final String APP = "release-jar-it";
    private static final String JRE_IMAGE = CliProject.env("SLIPWAY_JRE_IMAGE", "localhost/slipway-jre:17");
    private static final int PORT = 28490;

    @TempDir
    Path dir;
    private Path project;
    private CliProject cli;
    private DockerClient docker;

    @BeforeEach
    void environment() throws Exception {
        Path jar = ReleaseJar.path();
        docker = CliProject.engineWith(JRE_IMAGE);
        removeContainers();
        project = Files.createDirectories(dir.resolve("project"));
        cli = new CliProject(project, dir, null, jar.toString());
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (docker != null) {
            removeContainers();
            docker.close();
        }
    }

    @Test
    void deploy_throughTheReleaseJarAlone_appServesAndTheRunIsJournaled() throws Exception {
        String commit = commitTinyApp();

        CliProject.Result deploy = cli.slipway("deploy", "staging", "--commit", commit, "-f", "slipway.yml");
        assertThat(deploy.code()).as(deploy.output()).isZero();
        assertThat(status()).isEqualTo(200);
        CliProject.Result runs = cli.slipway("runs", "--stage", "staging", "-f", "slipway.yml");
        assertThat(runs.code()).as(runs.output()).isZero();
        assertThat(runs.output()).contains(commit.substring(0, 12)).contains("SUCCEEDED");
    }

    private String commitTinyApp() throws Exception {
        Files.writeString(project.resolve("slipway.yml"), """
                app: %s
                build:
                  context: .
                  dockerfile: Containerfile
                  args: {BASE_IMAGE: "%s"}
                health: {path: /healthz, port: 8080, timeout: 60s}
                timeouts: {build: 3m, snapshot: 1m, stop: 1m, deploy: 1m, compensate: 90s}
                stages:
                  staging:
                    branch: main
                    target: local
                    local: {port: %d, stop-grace: 2s}
                """.formatted(APP, JRE_IMAGE, PORT));
        Files.writeString(project.resolve("Containerfile"), """
                ARG BASE_IMAGE
                FROM ${BASE_IMAGE}
                COPY app/ /app/
                USER 65534
                ENTRYPOINT ["/app/run.sh"]
                """);
        Files.writeString(project.resolve(".dockerignore"), "*\n!app/**\n");
        Files.createDirectories(project.resolve("app/www"));
        Files.writeString(project.resolve("app/www/healthz"), "ok\n");
        Path run = project.resolve("app/run.sh");
        Files.writeString(run, "#!/bin/sh\nexec busybox httpd -f -p \"$PORT\" -h /app/www\n");
        Files.setPosixFilePermissions(run, PosixFilePermissions.fromString("rwxr-xr-x"));
        cli.git("init", "-q", "-b", "main");
        cli.git("add", "-A");
        cli.git("commit", "-qm", "tiny app");
        return cli.git("rev-parse", "HEAD");
    }

    private static int status() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/healthz")).timeout(Duration.ofSeconds(3))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void removeContainers() {
        docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("slipway.app", APP)).exec()
                .forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
    }
}
