package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.spec.SpecLoader;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ecs.model.ContainerDefinition;
import software.amazon.awssdk.services.ecs.model.KeyValuePair;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

class TaskDefinitionTemplateTest {
    static final String DESCRIBED = """
            {"taskDefinition": {
              "taskDefinitionArn": "arn:aws:ecs:eu-west-1:1:task-definition/web:41", "revision": 41, "status": "ACTIVE",
              "family": "web", "networkMode": "awsvpc", "cpu": "256", "memory": "512",
              "requiresAttributes": [{"name": "ecs.capability.execution-role-awslogs"}], "compatibilities": ["EC2", "FARGATE"],
              "registeredAt": "2026-01-01T00:00:00Z", "registeredBy": "arn:aws:iam::1:user/x",
              "executionRoleArn": "arn:aws:iam::1:role/exec",
              "containerDefinitions": [
                {"name": "proxy", "image": "envoy:1", "memory": 128},
                {"name": "app", "image": "old", "memory": 256, "essential": true,
                 "environment": [{"name": "STAGE", "value": "wrong"}, {"name": "KEEP", "value": "me"}],
                 "secrets": [{"name": "DATABASE_PASSWORD", "valueFrom": "arn:aws:ssm:eu-west-1:1:parameter/db"}]}
              ],
              "tags": [{"key": "team", "value": "core"}]
            }}
            """;
    @TempDir
    Path dir;

    @Test
    void render_describedDefinition_dropsReadOnlyFieldsAndFillsImageAndEnvironment() throws IOException {
        RegisterTaskDefinitionRequest r = template(DESCRIBED).render("app", "repo@sha256:1", env(""), Map.of("slipway:run", "7"));

        assertThat(r.family()).isEqualTo("web");
        assertThat(r.executionRoleArn()).isEqualTo("arn:aws:iam::1:role/exec");
        ContainerDefinition app = r.containerDefinitions().get(1);
        assertThat(app.image()).isEqualTo("repo@sha256:1");
        assertThat(r.containerDefinitions().get(0).image()).isEqualTo("envoy:1");
        assertThat(app.environment().stream().collect(Collectors.toMap(KeyValuePair::name, KeyValuePair::value)))
                .containsEntry("STAGE", "staging").containsEntry("KEEP", "me").containsEntry("GREETING", "hi")
                .containsEntry("APP_VERSION", "abc123").doesNotContainKey("DATABASE_PASSWORD");
        assertThat(r.tags()).extracting(t -> t.key() + "=" + t.value()).containsExactlyInAnyOrder("team=core", "slipway:run=7");
    }

    @Test
    void render_withScrapeLabels_putsThemOnTheAppContainerOnlyAndTheMigrationDropsTheExporterOnes() throws IOException {
        Map<String, String> labels = Map.of("app", "web", "stage", "staging", "version", "abc123",
                "PROMETHEUS_EXPORTER_PORT", "8080", "PROMETHEUS_EXPORTER_JOB_NAME", "web");

        RegisterTaskDefinitionRequest r = template(DESCRIBED).render("app", "repo@sha256:1", env(""), Map.of(), labels);

        assertThat(r.containerDefinitions().get(1).dockerLabels()).isEqualTo(labels);
        assertThat(r.containerDefinitions().get(0).dockerLabels()).isEmpty();
        RegisterTaskDefinitionRequest migration = MigrationTaskDefinition.of(r, "app", java.util.List.of("migrate"));
        assertThat(migration.containerDefinitions().get(1).dockerLabels())
                .isEqualTo(Map.of("app", "web", "stage", "staging", "version", "abc123"));
    }

    @Test
    void render_secretWithoutSecretsEntry_failsNamingItAndWhatToDo() throws IOException {
        TaskDefinitionTemplate t = template(DESCRIBED);
        assertThatThrownBy(() -> t.render("app", "img", env("      API_KEY: ${env:API_KEY}\n"), Map.of()))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("[API_KEY]").hasMessageContaining("containerDefinitions[app].secrets");
    }

    @Test
    void render_unknownContainer_failsListingTheTemplatesContainers() throws IOException {
        TaskDefinitionTemplate t = template(DESCRIBED);
        assertThatThrownBy(() -> t.render("web", "img", env(""), Map.of()))
                .hasMessageContaining("no container named 'web'").hasMessageContaining("[proxy, app]")
                .hasMessageContaining("ecs.container");
    }

    @Test
    void read_templateWithMisspelledField_failsWhenRendered() throws IOException {
        TaskDefinitionTemplate t = template("""
                {"family": "web", "memroy": "512", "containerDefinitions": [{"name": "app", "image": "x",
                  "secrets": [{"name": "DATABASE_PASSWORD", "valueFrom": "arn:aws:ssm:eu-west-1:1:parameter/db"}]}]}
                """);
        assertThatThrownBy(() -> t.render("app", "img", env(""), Map.of()))
                .hasMessageContaining("not a valid task definition").hasMessageContaining("unknown field \"memroy\" at the top level");
    }

    @Test
    void read_withoutFamily_failsSayingWhatToAdd() throws IOException {
        Files.writeString(dir.resolve("t.json"), "{\"containerDefinitions\": []}");
        assertThatThrownBy(() -> TaskDefinitionTemplate.read(dir.resolve("t.json"))).hasMessageContaining("has no \"family\"");
    }

    @Test
    void read_missingFile_namesTheSetting() {
        assertThatThrownBy(() -> TaskDefinitionTemplate.read(dir.resolve("nope.json")))
                .hasMessageContaining("does not exist").hasMessageContaining("ecs.task-definition");
    }

    static final String FARGATE = """
            {"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"], "cpu": "256", "memory": "512",
             "containerDefinitions": [{"name": "app", "image": "x", "essential": true,
               "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": "/ecs/web",
                 "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "web"}}}]}
            """;

    @Test
    void check_completeFargateTemplate_findsNothing() throws IOException {
        assertThat(template(FARGATE).check("app", java.util.List.of())).isEmpty();
    }

    @Test
    void check_containerNotInTemplate_isAnErrorNamingTheContainersAndTheSetting() throws IOException {
        assertThat(template(FARGATE).check("web", java.util.List.of())).singleElement().satisfies(p -> {
            assertThat(p.warning()).isFalse();
            assertThat(p.message()).contains("no container named 'web'").contains("[app]").contains("ecs.container");
        });
    }

    @Test
    void check_misspelledFieldInsideAContainer_isAnErrorNamingIt() throws IOException {
        assertThat(template(FARGATE.replace("\"essential\"", "\"esential\"")).check("app", java.util.List.of()))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("not a valid task definition")
                        .contains("unknown field \"esential\" at containerDefinitions[0]"));
    }

    @Test
    void check_fargateWithoutTaskMemory_isAnError() throws IOException {
        assertThat(template(FARGATE.replace("\"memory\": \"512\",", "")).check("app", java.util.List.of()))
                .singleElement().satisfies(p -> assertThat(p.message()).contains("requires FARGATE")
                        .contains("no task-level \"memory\""));
    }

    @Test
    void check_appContainerWithoutLogConfiguration_isOnlyAWarning() throws IOException {
        String noLogs = FARGATE.replaceAll(",\\s*\"logConfiguration\"[^}]*}[^}]*}", "");
        assertThat(noLogs).doesNotContain("logConfiguration");
        assertThat(template(noLogs).check("app", java.util.List.of())).singleElement().satisfies(p -> {
            assertThat(p.warning()).isTrue();
            assertThat(p.message()).contains("containerDefinitions[app]").contains("no awslogs logConfiguration");
        });
    }

    @Test
    void check_secretNotInTheContainersSecrets_isAnError() throws IOException {
        assertThat(template(FARGATE).check("app", java.util.List.of("API_KEY"))).singleElement()
                .satisfies(p -> assertThat(p.message()).contains("[API_KEY]").contains("containerDefinitions[app].secrets"));
    }

    @Test
    void read_notJson_failsNamingTheLine() {
        assertThatThrownBy(() -> template("{\"family\": \"web\",\n \"cpu\": 256,,\n}"))
                .isInstanceOf(TargetException.class).hasMessageContaining("is not valid JSON").hasMessageContaining("line 2");
    }

    @Test
    void read_duplicateKey_fails() {
        assertThatThrownBy(() -> template("{\"family\": \"web\", \"family\": \"api\"}"))
                .hasMessageContaining("is not valid JSON").hasMessageContaining("family");
    }

    private TaskDefinitionTemplate template(String json) throws IOException {
        Files.writeString(dir.resolve("t.json"), json);
        return TaskDefinitionTemplate.read(dir.resolve("t.json"));
    }

    private TaskEnvironment env(String extraEnvironment) {
        String yaml = """
                app: web
                build: {context: .}
                stages:
                  staging:
                    branch: main
                    target: ecs
                    database:
                      url: jdbc:postgresql://db:5432/web
                      user: web
                      password: ${env:DB_PASSWORD}
                    environment:
                      GREETING: hi
                %s    ecs: {region: eu-west-1, cluster: c, service: s, task-definition: t.json, ecr-repository: r}
                """.formatted(extraEnvironment);
        return TaskEnvironment.of(new TestContext(new SpecLoader(Set.of("ecs")).parse(yaml, "slipway.yml", dir),
                Duration.ofSeconds(1)));
    }
}
