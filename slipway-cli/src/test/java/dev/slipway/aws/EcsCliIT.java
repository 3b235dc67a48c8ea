package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.slipway.core.journal.RunKeys;
import dev.slipway.images.DockerClients;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.Tag;
import software.amazon.awssdk.services.rds.model.DBSnapshot;

/**
 * The ecs target as a user drives it: the real {@code slipway} command line (a separate JVM) with a slipway.yml that
 * points at moto and at the local registry (moto's ECR keeps no layers), a real image build through podman. Lives in
 * the CLI module because only it wires every target; in package dev.slipway.aws to reuse {@link EcsWorld}.
 */
class EcsCliIT {
    static final String REGISTRY = System.getenv().getOrDefault("SLIPWAY_REGISTRY", "127.0.0.1:5000");
    @TempDir
    Path dir;
    EcsWorld world;

    @BeforeEach
    void setUp() throws IOException {
        engineAndRegistryOrSkip();
        world = EcsWorld.create(dir);
        Files.writeString(dir.resolve("Containerfile"), "ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nCOPY Containerfile /app/\n");
        Files.writeString(dir.resolve("slipway.yml"), """
                app: hello
                build:
                  context: .
                  dockerfile: Containerfile
                  args: {BASE_IMAGE: "%s"}
                migrations: {command: [java, -version], timeout: 20s}
                health: {timeout: 20s}
                timeouts: {stop: 20s, deploy: 20s, compensate: 30s}
                stages:
                  staging:
                    branch: main
                    target: ecs
                    environment: {GREETING: hi}
                    ecs:
                      region: %s
                      cluster: %s
                      service: %s
                      task-definition: task.json
                      ecr-repository: hello
                      rds-instance: %s
                      endpoint: %s
                      registry: %s
                """.formatted(System.getenv().getOrDefault("SLIPWAY_JRE_IMAGE", "localhost/slipway-jre:17"), EcsWorld.REGION,
                EcsWorld.CLUSTER, EcsWorld.SERVICE, EcsWorld.INSTANCE, world.moto.endpoint(), REGISTRY));
    }

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.admin.close();
        }
    }

    @Test
    void planThenDeploy_fromTheCommandLine_changesNothingThenPutsTheServiceOnTheNewDigest() throws Exception {
        String before = world.service().taskDefinition();
        int countBefore = world.service().desiredCount();

        Result plan = slipway("plan", "staging", "--commit", "abc1234");

        assertThat(plan.code()).as(plan.output()).isZero();
        assertThat(world.service().taskDefinition()).isEqualTo(before);

        Result deploy = slipway("deploy", "staging", "--commit", "abc1234");

        assertThat(deploy.code()).as(deploy.output()).isZero();
        assertThat(deploy.output()).contains("run 1 (staging, abc1234) succeeded").doesNotContain("secret-key-test");
        String now = world.service().taskDefinition();
        assertThat(now).isNotEqualTo(before).endsWith(":2");
        assertThat(world.taskDefinition(now).containerDefinitions().get(0).image()).startsWith(REGISTRY + "/hello@sha256:");
        assertThat(world.service().desiredCount()).as("the previous desired count again").isEqualTo(countBefore).isPositive();
    }

    /**
     * Issue 8, finding 1, through the command line: the journal (.slipway/) is deleted between two deploys of one commit,
     * so both runs are "run 1". The second must still take its own snapshot and run the migration of its own revision,
     * not take the first run's for its own. The project is a git repository with the commit, so the test holds whether
     * the CLI builds from the checkout or from the commit's git objects.
     */
    @Test
    void deploySameCommitAfterTheJournalWasDeleted_takesANewSnapshotAndRunsTheMigrationAgain() throws Exception {
        String sha = commitProject();

        Result first = slipway("deploy", "staging", "--commit", sha);
        assertThat(first.code()).as(first.output()).isZero();
        deleteTree(dir.resolve(".slipway"));
        Result second = slipway("deploy", "staging", "--commit", sha);

        assertThat(second.code()).as(second.output()).isZero();
        assertThat(second.output()).contains("run 1 (staging, ").doesNotContain("earlier attempt");
        List<DBSnapshot> snapshots = world.admin.rds().describeDBSnapshots(b -> b.dbInstanceIdentifier(EcsWorld.INSTANCE)
                .snapshotType("manual")).dbSnapshots();
        assertThat(snapshots).extracting(DBSnapshot::dbSnapshotIdentifier).as("one snapshot per run").hasSize(2)
                .doesNotHaveDuplicates();
        List<String> keys = snapshots.stream().map(s -> RdsSnapshots.tagsOf(s).get(RdsSnapshots.TAG_RUN_KEY)).toList();
        assertThat(keys).doesNotHaveDuplicates().allSatisfy(k -> assertThat(RunKeys.isKey(k)).as(k).isTrue());

        String revision = world.service().taskDefinition();
        assertThat(revision).as("the second run's own revision").endsWith(":3");
        String secondKey = world.taskDefinitionTags(revision).stream().filter(t -> t.key().equals("slipway:run-key"))
                .map(Tag::value).findFirst().orElseThrow();
        String firstKey = keys.stream().filter(k -> !k.equals(secondKey)).findFirst().orElseThrow();
        assertThat(keys).contains(secondKey);
        List<String> secondMigration = world.tasksStartedBy("slipway-" + secondKey);
        List<String> firstMigration = world.tasksStartedBy("slipway-" + firstKey);
        assertThat(secondMigration).as("a RunTask of the second run").hasSize(1).doesNotContainAnyElementsOf(firstMigration);
        assertThat(firstMigration).hasSize(1);
        String migrationRevision = world.admin.ecs().describeTasks(b -> b.cluster(EcsWorld.CLUSTER).tasks(secondMigration))
                .tasks().get(0).taskDefinitionArn();
        assertThat(migrationRevision).as("the migration runs from its own family's revision").contains(":task-definition/hello-migrate:");
        assertThat(world.taskDefinitionTags(migrationRevision)).as("registered by the second run")
                .anySatisfy(t -> assertThat(t.key() + "=" + t.value()).isEqualTo("slipway:run-key=" + secondKey));
    }

    /** An image on another registry that the stage's repository lacks: its tasks could not pull it, so exit 2, unqueued. */
    @Test
    void deployImageOnAnotherRegistry_isRefusedWithExit2NamingTheImageAndTheStagesRepository() throws Exception {
        String digest = "sha256:" + "5e".repeat(32);
        String image = "ghcr.io/acme/hello@" + digest;

        Result deploy = slipway("deploy", "staging", "--commit", "abc1234", "--image", image);

        assertThat(deploy.code()).as(deploy.output()).isEqualTo(2);
        assertThat(deploy.output()).contains("error: --image " + image + " is on registry ghcr.io",
                REGISTRY + "/hello, which has no image " + digest, "Copy it there first", "Nothing was changed");
        assertThat(world.service().taskDefinition()).isEqualTo(world.initialTaskDefinition);
        Result runs = slipway("runs");
        assertThat(runs.code()).as(runs.output()).isZero();
        assertThat(runs.output()).as("nothing was queued").doesNotContain("abc1234");
    }

    record Result(int code, String output) {
    }

    /** Makes the project directory a git repository whose HEAD holds the project as it is; returns the commit. */
    private String commitProject() throws Exception {
        Files.writeString(dir.resolve(".gitignore"), ".slipway/\n*.out\n");
        git("init", "-q");
        git("add", "-A");
        git("-c", "user.name=Slipway Test", "-c", "user.email=test@slipway.invalid", "commit", "-q", "-m", "hello");
        return git("rev-parse", "HEAD").strip();
    }

    private String git(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("git " + String.join(" ", args) + ": " + out).isZero();
        return out;
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private Result slipway(String... args) throws Exception {
        String cp = dev.slipway.cli.CliClassPath.get();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, "dev.slipway.cli.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-f", dir.resolve("slipway.yml").toString()));
        Path out = Files.createTempFile(dir, "slipway-", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(java.util.Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "secret-key-test",
                "AWS_REGION", EcsWorld.REGION, "SLIPWAY_PLAIN", "1"));
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("slipway did not end in time:\n" + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }

    private static void engineAndRegistryOrSkip() {
        try (DockerClient client = DockerClients.fromEnvironment()) {
            client.pingCmd().exec();
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            String why = "needs a container engine and a registry on " + REGISTRY + " (scripts/env-up.sh): " + e.getMessage();
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(why + " — CI=true, so this is a failure, not a skip");
            }
            Assumptions.abort(why);
        }
    }
}
