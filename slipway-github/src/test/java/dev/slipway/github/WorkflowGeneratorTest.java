package dev.slipway.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import dev.slipway.core.spec.SlipwaySpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkflowGeneratorTest {
    private static final SlipwayAction ACTION = SlipwayAction.release("1.4.2");
    @TempDir
    Path dir;

    private Map<Path, String> generate(String yaml) {
        return WorkflowGenerator.generate(Fixtures.spec(yaml, dir), ACTION);
    }

    private static JsonNode job(String workflow) {
        return SchemaChecks.yaml(workflow).path("jobs").path("deploy");
    }

    private static JsonNode step(String workflow, String usesPrefix) {
        for (JsonNode s : job(workflow).path("steps")) {
            if (s.path("uses").asText().startsWith(usesPrefix)) {
                return s;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String workflow(Map<Path, String> files, String stage) {
        return files.get(Path.of(".github", "workflows", "slipway-" + stage + ".yml"));
    }

    @Test
    void generate_localOnlySpec_validatesAgainstWorkflowSchema() {
        Path schema = SharedFiles.require(SharedFiles.WORKFLOW_SCHEMA);
        Map<Path, String> files = generate(Fixtures.LOCAL_SPEC);
        assertThat(files).hasSize(2);
        files.forEach((path, text) -> assertThat(SchemaChecks.workflowProblems(schema, text)).as(path.toString()).isEmpty());
    }

    @Test
    void generate_ecsSpec_validatesAgainstWorkflowSchema() {
        Path schema = SharedFiles.require(SharedFiles.WORKFLOW_SCHEMA);
        Map<Path, String> files = generate(Fixtures.ECS_SPEC);
        assertThat(files).hasSize(2);
        files.forEach((path, text) -> assertThat(SchemaChecks.workflowProblems(schema, text)).as(path.toString()).isEmpty());
    }

    @Test
    void workflowSchemaCheck_brokenWorkflow_reportsProblems() {
        Path schema = SharedFiles.require(SharedFiles.WORKFLOW_SCHEMA);
        String broken = workflow(generate(Fixtures.LOCAL_SPEC), "staging").replace("runs-on:", "runs-where:");
        assertThat(SchemaChecks.workflowProblems(schema, broken)).isNotEmpty();
    }

    @Test
    void generate_eachStage_deploysOnPushToItsBranchWithThePushedCommit() {
        Map<Path, String> files = generate(Fixtures.LOCAL_SPEC);
        JsonNode staging = SchemaChecks.yaml(workflow(files, "staging"));
        JsonNode production = SchemaChecks.yaml(workflow(files, "production"));
        assertThat(staging.path("on").path("push").path("branches").get(0).asText()).isEqualTo("main");
        assertThat(production.path("on").path("push").path("branches").get(0).asText()).isEqualTo("prod");
        assertThat(job(workflow(files, "production")).path("if").asText()).isEqualTo("github.ref == 'refs/heads/prod'");
        JsonNode deploy = step(workflow(files, "staging"), "slipway-dev/slipway@");
        assertThat(deploy.path("with").path("stage").asText()).isEqualTo("staging");
        assertThat(deploy.path("with").path("commit").asText()).isEqualTo("${{ github.sha }}");
        assertThat(deploy.path("env").path("GITHUB_TOKEN").asText()).isEqualTo("${{ secrets.GITHUB_TOKEN }}");
    }

    @Test
    void generate_eachStage_queuesInItsOwnConcurrencyGroup() {
        Map<Path, String> files = generate(Fixtures.LOCAL_SPEC);
        for (String stage : List.of("staging", "production")) {
            JsonNode concurrency = SchemaChecks.yaml(workflow(files, stage)).path("concurrency");
            assertThat(concurrency.path("group").asText()).isEqualTo("slipway-" + stage);
            assertThat(concurrency.path("cancel-in-progress").asBoolean(true)).isFalse();
            assertThat(concurrency.path("queue").asText()).isEqualTo("max");
        }
    }

    @Test
    void generate_productionStage_bindsJobToProductionEnvironment() {
        Map<Path, String> files = generate(Fixtures.LOCAL_SPEC);
        JsonNode env = job(workflow(files, "production")).path("environment");
        assertThat(env.path("name").asText()).isEqualTo("production");
        assertThat(env.path("deployment").asBoolean(true)).isFalse();
        assertThat(job(workflow(files, "staging")).has("environment")).isFalse();
    }

    @Test
    void generate_stageWithApprovals_bindsItsEnvironmentAndMayReadTheRunsReviews() {
        Map<Path, String> files = generate(Fixtures.LOCAL_SPEC.replace("""
                    branch: main
                    target: local
                """, """
                    branch: main
                    target: local
                    approvals: {required: 1}
                """));
        JsonNode staging = SchemaChecks.yaml(workflow(files, "staging"));
        assertThat(job(workflow(files, "staging")).path("environment").path("name").asText()).isEqualTo("staging");
        assertThat(staging.path("permissions").path("actions").asText()).isEqualTo("read");
        assertThat(SchemaChecks.yaml(workflow(files, "production")).path("permissions").path("actions").asText()).isEqualTo("read");
        assertThat(SchemaChecks.yaml(workflow(generate(Fixtures.LOCAL_SPEC), "staging")).path("permissions").has("actions"))
                .as("a stage without approvals reads no reviews").isFalse();
    }

    @Test
    void generate_ecsSpec_getsAwsCredentialsThroughOidcWithTheConfiguredRole() {
        Map<Path, String> files = generate(Fixtures.ECS_SPEC);
        String production = workflow(files, "production");
        assertThat(SchemaChecks.yaml(production).path("permissions").path("id-token").asText()).isEqualTo("write");
        JsonNode aws = step(production, "aws-actions/configure-aws-credentials@");
        assertThat(aws.path("with").path("role-to-assume").asText()).isEqualTo("arn:aws:iam::123456789012:role/slipway-production");
        assertThat(aws.path("with").path("aws-region").asText()).isEqualTo("eu-west-1");
        assertThat(job(production).path("runs-on").asText()).isEqualTo("ubuntu-latest");
    }

    @Test
    void generate_localOnlySpec_asksForNoIdTokenAndPassesReferencedSecrets() {
        Map<Path, String> files = generate(Fixtures.LOCAL_SPEC);
        JsonNode staging = SchemaChecks.yaml(workflow(files, "staging"));
        assertThat(staging.path("permissions").has("id-token")).isFalse();
        assertThat(staging.path("permissions").path("deployments").asText()).isEqualTo("write");
        JsonNode env = step(workflow(files, "staging"), "slipway-dev/slipway@").path("env");
        assertThat(env.path("STAGING_DB_PASSWORD").asText()).isEqualTo("${{ secrets.STAGING_DB_PASSWORD }}");
        assertThat(env.has("PAYMENT_KEY")).as("another stage's secret").isFalse();
        assertThat(env.path("SLIPWAY_STATE_URL").asText()).isEqualTo("${{ secrets.SLIPWAY_STATE_URL }}");
        assertThat(step(workflow(files, "staging"), "aws-actions/").isMissingNode()).isTrue();
    }

    @Test
    void generate_anySpec_deploysWithTheSlipwayActionPinnedToTheRunningVersion() {
        for (String stage : List.of("staging", "production")) {
            JsonNode steps = job(workflow(generate(Fixtures.ECS_SPEC), stage)).path("steps");
            JsonNode last = steps.get(steps.size() - 1);
            assertThat(last.path("uses").asText()).isEqualTo("slipway-dev/slipway@v1.4.2");
            assertThat(last.path("with").path("version").asText()).isEqualTo("1.4.2");
            assertThat(last.has("run")).isFalse();
        }
    }

    @Test
    void generate_anySpec_runsNothingFromTheRepository() {
        for (String text : generate(Fixtures.LOCAL_SPEC).values()) {
            assertThat(text).doesNotContain("./slipway").doesNotContain("slipway.jar").doesNotContain("run:");
        }
    }

    @Test
    void generate_ecsStageWithoutRoleArn_failsNamingThePath() {
        SlipwaySpec spec = Fixtures.spec(Fixtures.ECS_SPEC.replace("role-arn: arn:aws:iam::123456789012:role/slipway-staging",
                "container: app"), dir);
        assertThatThrownBy(() -> WorkflowGenerator.generate(spec, ACTION)).isInstanceOf(SlipwayException.class)
                .hasMessageContaining("stages.staging.ecs.role-arn")
                .satisfies(e -> assertThat(((SlipwayException) e).code()).isEqualTo(ErrorCode.BAD_CONFIG));
    }

    @Test
    void generate_sameSpecTwice_givesByteIdenticalFilesWithHashHeader() {
        Map<Path, String> first = generate(Fixtures.ECS_SPEC);
        Map<Path, String> second = generate(Fixtures.ECS_SPEC);
        assertThat(second).isEqualTo(first);
        List<String> headers = new ArrayList<>();
        first.values().forEach(t -> headers.add(t.lines().filter(l -> l.startsWith("# slipway-sha256: ")).findFirst().orElse("")));
        assertThat(headers).allSatisfy(h -> assertThat(h).matches("# slipway-sha256: [0-9a-f]{64}"));
    }
}
