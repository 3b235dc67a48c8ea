package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: the real CLI, started under umask 022, validates and deploys a tiny app (busybox httpd run as nobody from
 * shell scripts that are executable in git) to two local stages against the test PostgreSQL: one keeps its snapshots in
 * the default {@code .slipway/snapshots}, the other in {@code backups/} beside the project. Afterwards every directory
 * Slipway made is 0700 and every file 0600 (an unpacked script 0700), and git sees none of it. Needs the services of
 * scripts/env-up.sh (container engine at DOCKER_HOST with the JRE base image, PostgreSQL); skips without them unless CI=true.
 */
class PrivateFilesIT {
    private static final String APP = "files-it";
    private static final String DATABASE = "slipway_files_it";
    private static final int PG_PORT = Integer.parseInt(CliProject.env("SLIPWAY_PG_PORT", "55432"));
    private static final String JRE_IMAGE = CliProject.env("SLIPWAY_JRE_IMAGE", "localhost/slipway-jre:17");
    private static final int STAGING_PORT = 28470;
    private static final int QA_PORT = 28480;

    @TempDir
    Path dir;
    private Path project;
    private CliProject cli;
    private DockerClient docker;

    @BeforeEach
    void environment() throws Exception {
        docker = CliProject.engineWith(JRE_IMAGE);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + PG_PORT + "/postgres", "postgres", "");
             Statement s = c.createStatement()) {
            s.execute("drop database if exists " + DATABASE + " with (force)");
            s.execute("create database " + DATABASE);
        } catch (SQLException e) {
            CliProject.unavailable("PostgreSQL on 127.0.0.1:" + PG_PORT + " is not usable (" + e.getMessage() + ")");
        }
        removeContainers();
        project = Files.createDirectories(dir.resolve("project"));
        cli = new CliProject(project, dir, "022");
    }

    @AfterEach
    void cleanUp() throws IOException {
        if (docker != null) {
            removeContainers();
            docker.close();
        }
    }

    @Test
    void deploy_underUmask022_everythingSlipwayWritesIsPrivateAndGitSeesNoneOfIt() throws Exception {
        String commit = commitTinyApp();

        assertThat(slipway("validate", "-f", "slipway.yml")).isZero();
        assertThat(slipway("deploy", "staging", "--commit", commit, "-f", "slipway.yml")).isZero();
        assertThat(slipway("deploy", "qa", "--commit", commit, "-f", "slipway.yml")).isZero();

        assertThat(status(QA_PORT)).as("the app runs as nobody from its scripts: the image kept their execute bits").isEqualTo(200);
        assertThat(cli.git("status", "--porcelain", "--untracked-files=all")).as("git status after the deploys").isEmpty();
        Map<String, String> modes = modes(project.resolve(".slipway"));
        modes.putAll(modes(project.resolve("backups")));
        assertThat(modes).containsKeys(".slipway/.gitignore", ".slipway/state.db", "backups/qa/.gitignore",
                ".slipway/src/" + commit + "/app/run.sh", ".slipway/snapshots/staging");
        assertThat(modes.keySet()).filteredOn(p -> p.matches("\\.slipway/snapshots/staging/.*\\.(dump|json)")).hasSize(2);
        assertThat(modes.keySet()).filteredOn(p -> p.matches("backups/qa/.*\\.(dump|json)")).hasSize(2);
        assertThat(modes).allSatisfy((path, mode) -> assertThat(mode).as(path).isEqualTo(expectedMode(path)));
    }

    /** 0700 for directories and for the scripts that are executable in git, 0600 for every other file. */
    private String expectedMode(String path) {
        return Files.isDirectory(project.resolve(path), LinkOption.NOFOLLOW_LINKS) || path.endsWith(".sh") ? "rwx------" : "rw-------";
    }

    /** A fresh repository with slipway.yml and the app committed; the scripts are 0755 in git. */
    private String commitTinyApp() throws Exception {
        Files.writeString(project.resolve("slipway.yml"), """
                app: %s
                build:
                  context: .
                  dockerfile: Containerfile
                  args: {BASE_IMAGE: "%s"}
                migrations: {command: [/app/migrate.sh], timeout: 60s}
                health: {path: /healthz, port: 8080, timeout: 60s}
                timeouts: {build: 3m, snapshot: 1m, stop: 1m, deploy: 1m, compensate: 90s}
                stages:
                  staging:
                    branch: main
                    target: local
                    database: {url: "jdbc:postgresql://127.0.0.1:%d/%s", user: postgres}
                    local: {port: %d, stop-grace: 2s}
                  qa:
                    branch: qa
                    target: local
                    database: {url: "jdbc:postgresql://127.0.0.1:%d/%s", user: postgres}
                    local: {port: %d, stop-grace: 2s, snapshot-dir: backups}
                """.formatted(APP, JRE_IMAGE, PG_PORT, DATABASE, STAGING_PORT, PG_PORT, DATABASE, QA_PORT));
        Files.writeString(project.resolve("Containerfile"), """
                ARG BASE_IMAGE
                FROM ${BASE_IMAGE}
                COPY app/ /app/
                USER 65534
                ENTRYPOINT ["/app/run.sh"]
                """);
        Files.writeString(project.resolve(".dockerignore"), "*\n!**\n!.slipway\n!.slipway/**\n!backups/**\n");
        Path app = Files.createDirectories(project.resolve("app/www"));
        Files.writeString(app.resolve("healthz"), "ok\n");
        script(project.resolve("app/run.sh"), "exec busybox httpd -f -p \"$PORT\" -h /app/www");
        script(project.resolve("app/migrate.sh"), "echo 'nothing to migrate'");
        cli.git("init", "-q", "-b", "main");
        cli.git("add", "-A");
        cli.git("commit", "-qm", "tiny app");
        return cli.git("rev-parse", "HEAD");
    }

    private static void script(Path file, String body) throws IOException {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }



    /** Path relative to the project to mode, for {@code root} and everything below it. */
    private Map<String, String> modes(Path root) {
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                modes.put(project.relativize(p).toString(),
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return modes;
    }

    private static int status(int port) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).timeout(Duration.ofSeconds(3))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The CLI's exit code; its output is printed when it is not 0. */
    private int slipway(String... args) throws Exception {
        CliProject.Result r = cli.slipway(args);
        if (r.code() != 0) {
            System.out.println("slipway " + String.join(" ", args) + " exited " + r.code() + ":\n" + r.output());
        }
        return r.code();
    }

    private void removeContainers() {
        docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("slipway.app", APP)).exec()
                .forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
    }


}
