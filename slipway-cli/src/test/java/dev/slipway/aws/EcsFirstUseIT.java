package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mistakes a new user of the ecs target makes first (issue 10), through the real command line (a separate JVM)
 * against moto: each is reported with what was wrong and what to do, and nothing in AWS is changed. What is compared is
 * moto's own view: the service, the task definition revisions, the ECR repositories and the RDS snapshots.
 */
class EcsFirstUseIT {
    @TempDir
    Path dir;
    EcsWorld world;

    @BeforeEach
    void setUp() {
        world = EcsWorld.create(dir);
    }

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.admin.close();
        }
    }

    @Test
    void wrongContainer_validateAndDeployExit2NamingIt_andNothingIsBuiltOrChanged() throws Exception {
        writeSpec("container: web\n      rds-instance: " + EcsWorld.INSTANCE + "\n");
        String before = awsState();

        Result validate = slipway(credentials(), "validate");
        Result deploy = slipway(credentials(), "deploy", "staging", "--commit", "abc1234");

        assertThat(validate.code()).as(validate.output()).isEqualTo(2);
        assertThat(validate.output()).contains("stages.staging.ecs.task-definition:")
                .contains("has no container named 'web' (it has [app]); set ecs.container");
        assertThat(deploy.code()).as(deploy.output()).isEqualTo(2);
        assertThat(deploy.output()).contains("no container named 'web'").doesNotContain("run 1");
        assertThat(awsState()).isEqualTo(before);
        assertThat(Files.exists(dir.resolve(".slipway"))).as("no journal, so no run").isFalse();
    }

    @Test
    void templateWithoutLogConfiguration_validateWarnsOnStandardErrorAndExits0() throws Exception {
        writeSpec("rds-instance: " + EcsWorld.INSTANCE + "\n");
        String template = Files.readString(dir.resolve("task.json"));
        Files.writeString(dir.resolve("task.json"), template.replaceAll(",\\s*\"logConfiguration\"[^}]*}[^}]*}", ""));

        Result validate = slipway(credentials(), "validate");

        assertThat(validate.code()).as(validate.output()).isZero();
        assertThat(validate.output()).contains("warning: stages.staging.ecs.task-definition: containerDefinitions[app]")
                .contains("no awslogs logConfiguration");
    }

    @Test
    void noCredentials_planAndDeployExit2NamingTheSourcesTried_andNothingIsChanged() throws Exception {
        writeSpec("rds-instance: " + EcsWorld.INSTANCE + "\n");
        String before = awsState();
        Path empty = Files.writeString(dir.resolve("empty-aws-file"), "");
        Map<String, String> none = Map.of("AWS_CONFIG_FILE", empty.toString(), "AWS_SHARED_CREDENTIALS_FILE", empty.toString(),
                "AWS_EC2_METADATA_DISABLED", "true");

        long started = System.nanoTime();
        Result plan = slipway(none, "plan", "staging", "--commit", "abc1234");
        Result deploy = slipway(none, "deploy", "staging", "--commit", "abc1234");

        assertThat(plan.code()).as(plan.output()).isEqualTo(2);
        assertThat(plan.output()).contains("stages.staging.target ecs: no AWS credentials found")
                .contains("AWS_ACCESS_KEY_ID").contains("AWS_PROFILE").contains("web identity").contains("ecs.role-arn")
                .doesNotContain("check the network");
        assertThat(deploy.code()).as(deploy.output()).isEqualTo(2);
        assertThat(deploy.output()).contains("no AWS credentials found").doesNotContain("run 1");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started)).as("no retries").isLessThan(30);
        assertThat(awsState()).isEqualTo(before);
    }

    @Test
    void noContainerEngine_deployFailsAtOnceNamingTheSocket_andNothingIsBuiltOrChanged() throws Exception {
        writeSpec(""); // no rds-instance: the snapshot step, which runs beside the build, would take one
        String before = awsState();
        Path socket = dir.resolve("no-engine.sock");
        Map<String, String> env = new HashMap<>(credentials());
        env.put("DOCKER_HOST", "unix://" + socket);

        Result deploy = slipway(env, "deploy", "staging", "--commit", "abc1234");

        assertThat(deploy.code()).as(deploy.output()).isEqualTo(1);
        assertThat(deploy.output()).contains("cannot reach the container engine at unix://" + socket + " (from DOCKER_HOST)")
                .contains("set DOCKER_HOST=").doesNotContain("gave up after");
        assertThat(awsState()).as("no ECR repository created, no task definition registered, service untouched")
                .isEqualTo(before);
    }

    private void writeSpec(String ecsExtra) throws IOException {
        Files.writeString(dir.resolve("slipway.yml"), """
                app: hello
                build: {context: ., dockerfile: Containerfile}
                stages:
                  staging:
                    branch: main
                    target: ecs
                    ecs:
                      region: %s
                      cluster: %s
                      service: %s
                      task-definition: task.json
                      ecr-repository: hello
                      endpoint: %s
                      %s""".formatted(EcsWorld.REGION, EcsWorld.CLUSTER, EcsWorld.SERVICE, world.moto.endpoint(), ecsExtra));
    }

    /** What a deploy would change, as moto shows it to the tests' own clients. */
    private String awsState() {
        var service = world.service();
        return String.join("\n",
                "service " + service.taskDefinition() + " x" + service.desiredCount() + " tags " + service.tags(),
                "revisions " + world.admin.ecs().listTaskDefinitions().taskDefinitionArns(),
                "repositories " + world.admin.ecr().describeRepositories().repositories().size(),
                "snapshots " + world.admin.rds().describeDBSnapshots().dbSnapshots().size());
    }

    private static Map<String, String> credentials() {
        return Map.of("AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "secret-key-test");
    }

    record Result(int code, String output) {
    }

    /** slipway with {@code env} as the only AWS settings (the test JVM's own AWS_* variables are dropped). */
    private Result slipway(Map<String, String> env, String... args) throws Exception {
        String cp = dev.slipway.cli.CliClassPath.get();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", cp, "dev.slipway.cli.Main"));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-f", dir.resolve("slipway.yml").toString()));
        Path out = Files.createTempFile(dir, "slipway-", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("AWS_"));
        pb.environment().putAll(env);
        pb.environment().put("AWS_REGION", EcsWorld.REGION);
        pb.environment().put("SLIPWAY_PLAIN", "1");
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("slipway did not end in time:\n" + Files.readString(out));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    }
}
