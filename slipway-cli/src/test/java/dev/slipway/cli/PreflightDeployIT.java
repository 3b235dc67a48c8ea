package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, acceptance 3, through the real CLI with the default configuration (no {@code preflight:} key): v1 of the
 * example hello-server is deployed on the local target against the test PostgreSQL and Redis, then a commit whose
 * migration fails part way. The preflight catches it on a scratch copy of the snapshot: the deploy exits 1 quoting the
 * migration's output, the old release's containers never stopped (same engine StartedAt) and still serve v1, no scratch
 * database is left, and the journal has no stop-old step. Needs the services of scripts/env-up.sh; skips without
 * them unless CI=true.
 */
class PreflightDeployIT {
    private static final String APP = "pfd-e2e";
    private static final String DATABASE = "pfd_e2e";
    private static final int PORT = 29110;
    private static final int PG_PORT = Integer.parseInt(CliProject.env("SLIPWAY_PG_PORT", "55432"));
    private static final int REDIS_PORT = Integer.parseInt(CliProject.env("SLIPWAY_REDIS_PORT", "16379"));
    private static final String JRE_IMAGE = CliProject.env("SLIPWAY_JRE_IMAGE", "localhost/slipway-jre:17");
    private static final Path HELLO = Path.of("..", "examples", "hello-server").toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private Path project;
    private CliProject cli;
    private DockerClient docker;

    @BeforeEach
    void environment() throws Exception {
        docker = CliProject.engineWith(JRE_IMAGE);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            for (String db : scratchDatabases()) {
                s.execute("drop database if exists \"" + db + "\" with (force)");
            }
            s.execute("drop database if exists " + DATABASE + " with (force)");
            s.execute("create database " + DATABASE);
        } catch (SQLException e) {
            CliProject.unavailable("PostgreSQL on 127.0.0.1:" + PG_PORT + " is not usable (" + e.getMessage() + ")");
        }
        removeContainers();
        project = Files.createDirectories(dir.resolve("project"));
        cli = new CliProject(project, dir, null);
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (docker != null) {
            removeContainers();
            docker.listImagesCmd().withLabelFilter(Map.of("slipway.app", APP)).exec()
                    .forEach(i -> docker.removeImageCmd(i.getId()).withForce(true).exec());
            docker.close();
        }
    }

    @Test
    void deploy_migrationFailsInTheDefaultPreflight_exits1BeforeAnythingStoppedAndLeavesNoScratchDatabase() throws Exception {
        String v1 = commitV1();
        assertThat(cli.slipway("deploy", "staging", "--commit", v1, "-f", "slipway.yml").code()).isZero();
        Map<String, String> startedBefore = startedAt();
        assertThat(startedBefore).hasSize(2);
        String broken = commitBrokenMigration();

        CliProject.Result deploy = cli.slipway("deploy", "staging", "--commit", broken, "-f", "slipway.yml");

        assertThat(deploy.code()).as(deploy.output()).isEqualTo(1);
        assertThat(deploy.output()).contains("preflight failed", "greeting_ref", "nothing was stopped");
        assertThat(startedAt()).as("the old release's containers, by id, with the engine's StartedAt").isEqualTo(startedBefore);
        assertThat(get("/healthz").statusCode()).isEqualTo(200);
        assertThat(get("/").body()).contains(v1);
        assertThat(scratchDatabases()).isEmpty();
        assertThat(containers("slipway.role", "preflight")).isEmpty();
        JsonNode run = JSON.readTree(cli.slipway("logs", "2", "--output", "json", "-f", "slipway.yml").output());
        List<String> steps = StreamSupport.stream(run.path("events").spliterator(), false)
                .filter(e -> e.path("type").asText().startsWith("STEP_")).map(e -> e.path("type").asText() + " " + e.path("step").asText())
                .toList();
        assertThat(steps).as(run.toString()).contains("STEP_FAILED preflight")
                .noneMatch(s -> s.endsWith(" stop-old") || s.endsWith(" migrate") || s.endsWith(" compensate"));
        assertThat(run.path("events").get(run.path("events").size() - 1).path("type").asText()).isEqualTo("RUN_FAILED");
    }

    /** hello-server as the demo commits it: the jar (migrations V1-V3 inside), an empty migrations/ directory. */
    private String commitV1() throws Exception {
        Files.writeString(project.resolve("slipway.yml"), """
                app: %s
                build:
                  context: .
                  dockerfile: Containerfile
                  args: {BASE_IMAGE: "%s"}
                migrations:
                  command: [java, -jar, /app/hello-server.jar, migrate]
                  timeout: 90s
                health: {path: /healthz, port: 8080, timeout: 60s}
                timeouts: {build: 3m, snapshot: 1m, stop: 1m, deploy: 2m, compensate: 2m}
                stages:
                  staging:
                    branch: main
                    target: local
                    replicas: 2
                    database: {url: "jdbc:postgresql://127.0.0.1:%d/%s", user: postgres}
                    redis: {url: "redis://127.0.0.1:%d/5"}
                    local: {port: %d, stop-grace: 5s}
                """.formatted(APP, JRE_IMAGE, PG_PORT, DATABASE, REDIS_PORT, PORT));
        Files.copy(HELLO.resolve("Containerfile"), project.resolve("Containerfile"));
        Files.copy(HELLO.resolve(".dockerignore"), project.resolve(".dockerignore"));
        Files.createDirectories(project.resolve("target"));
        Files.copy(helloJar(), project.resolve("target/hello-server.jar"));
        Files.createDirectories(project.resolve("migrations"));
        Files.writeString(project.resolve("migrations/.keep"), "");
        cli.git("init", "-q", "-b", "main");
        cli.git("add", "-A", "-f");
        cli.git("commit", "-qm", "v1");
        return cli.git("rev-parse", "HEAD");
    }

    /** The demo's v3 migration: creates a table, then inserts from a column that does not exist. */
    private String commitBrokenMigration() throws Exception {
        Files.copy(HELLO.resolve("demo/v3/V5__broken.sql"), project.resolve("migrations/V4__broken.sql"));
        cli.git("add", "-A");
        cli.git("commit", "-qm", "a migration that fails part way");
        return cli.git("rev-parse", "HEAD");
    }

    /** Container id to the engine's State.StartedAt, for the stage's server containers. */
    private Map<String, String> startedAt() {
        Map<String, String> started = new TreeMap<>();
        for (String id : containers("slipway.stage", "staging")) {
            InspectContainerResponse c = docker.inspectContainerCmd(id).exec();
            if (Boolean.TRUE.equals(c.getState().getRunning())) {
                started.put(id, c.getState().getStartedAt());
            }
        }
        return started;
    }

    private List<String> containers(String label, String value) {
        return docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("slipway.app", APP, label, value)).exec()
                .stream().map(c -> c.getId()).toList();
    }

    private static List<String> scratchDatabases() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection c = admin(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select datname from pg_database where datname like '" + DATABASE + "\\_pf\\_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + PG_PORT + "/postgres", "postgres", "");
    }



    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** examples/hello-server/target/hello-server.jar, built with mvn when it is missing (as the local ITs do). */
    private static Path helloJar() throws Exception {
        Path jar = HELLO.resolve("target/hello-server.jar");
        if (!Files.exists(jar)) {
            Process p = new ProcessBuilder(List.of("mvn", "-q", "-B", "-o", "-f", HELLO.resolve("pom.xml").toString(), "package",
                    "-DskipTests")).inheritIO().start();
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                CliProject.unavailable("building examples/hello-server with mvn failed");
            }
        }
        return jar;
    }

    private void removeContainers() {
        docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of("slipway.app", APP)).exec()
                .forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
    }


}
