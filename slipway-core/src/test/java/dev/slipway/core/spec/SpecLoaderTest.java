package dev.slipway.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpecLoaderTest {
    private final SpecLoader loader = new SpecLoader(Set.of("local", "ecs"));

    static final String VALID = """
            app: hello
            build:
              context: examples/hello-server
              dockerfile: Containerfile
              args:
                BASE_IMAGE: localhost/slipway-jre:17
            migrations:
              command: [java, -jar, /app/hello-server.jar, migrate]
              timeout: 5m
            health:
              path: /healthz
              port: 8080
              timeout: 45s
            stages:
              staging:
                branch: main
                target: local
                replicas: 2
                database:
                  url: jdbc:postgresql://127.0.0.1:55432/hello_staging
                  user: postgres
                  password: ${env:STAGING_DB_PASSWORD}
                redis:
                  url: redis://127.0.0.1:16379/0
                environment:
                  GREETING: hi
                  API_KEY: ${env:HELLO_API_KEY}
              production:
                branch: prod
                target: ecs
                approvals:
                  required: 2
                  approvers: [alice, bob, carol]
                ecs:
                  region: eu-west-1
                  cluster: main
                  service: hello
                  task-definition: deploy/task.json
                  ecr-repository: hello
                  rds-instance: hello-prod
            """;

    private SlipwaySpec parse(String yaml) {
        return loader.parse(yaml, "slipway.yml", Path.of("/project"));
    }

    @Test
    void parse_validFile_readsEveryBlock() {
        SlipwaySpec spec = parse(VALID);

        assertThat(spec.app()).isEqualTo("hello");
        assertThat(spec.migrations().timeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(spec.migrations().command()).containsExactly("java", "-jar", "/app/hello-server.jar", "migrate");
        assertThat(spec.health().timeout()).isEqualTo(Duration.ofSeconds(45));
        StageSpec staging = spec.stage("staging").orElseThrow();
        assertThat(staging.replicas()).isEqualTo(2);
        assertThat(staging.local().port()).isEqualTo(18080);
        assertThat(staging.approvals().gated()).isFalse();
        StageSpec production = spec.stage("production").orElseThrow();
        assertThat(production.production()).isTrue();
        assertThat(production.approvals().required()).isEqualTo(2);
        assertThat(production.ecs().region()).isEqualTo("eu-west-1");
        assertThat(spec.stageForBranch("prod")).contains(production);
    }

    @Test
    void parse_manyMistakes_reportsEveryOneWithItsPath() {
        String yaml = """
                app: Hello World
                build:
                  contxt: .
                health:
                  port: 99999
                stages:
                  staging:
                    branch: main
                    target: locl
                    replica: 2
                  production:
                    branch: prod
                    approvals:
                      required: 0
                    database:
                      url: jdbc:postgresql://db/x
                      password: hunter2
                """;

        SpecException e = catchThrowableOfType(SpecException.class, () -> parse(yaml));

        assertThat(e.problems()).contains(
                "app: must be lower-case letters, digits, '.', '_' or '-' (it names images), found 'Hello World'",
                "build.contxt: unknown key; did you mean 'context'?",
                "build.context: is required",
                "health.port: must be at most 65535, found 99999",
                "stages.staging.target: must be one of ecs, local; found 'locl'; did you mean 'local'?",
                "stages.staging.replica: unknown key; did you mean 'replicas'?",
                "stages.production.approvals.required: must be at least 1, found 0",
                "stages.production.database.password: must not hold a password in plain text; use ${env:NAME}");
        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(e.getMessage()).doesNotContain("hunter2");
    }

    @Test
    void parse_productionWithoutApprovals_isAnError() {
        String yaml = """
                app: a
                build: {context: .}
                stages:
                  production: {branch: prod}
                """;

        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(SpecException.class)
                .hasMessageContaining("stages.production.approvals: is required for a production stage");
    }

    @Test
    void parse_grafana_keepsTheTokenAReference() {
        SlipwaySpec spec = parse(VALID.replace("stages:\n", """
                metrics:
                  grafana: {url: "https://grafana.example.com/g", token: "${env:GRAFANA_TOKEN}", timeout: 2s}
                stages:
                """));

        MetricsSpec.GrafanaSpec g = spec.metrics().grafana();
        assertThat(g.url()).isEqualTo("https://grafana.example.com/g");
        assertThat(g.token().references()).containsExactly("GRAFANA_TOKEN");
        assertThat(g.timeout()).isEqualTo(java.time.Duration.ofSeconds(2));
    }

    @Test
    void parse_grafanaTokenInPlainTextOrNoUrl_isAnErrorThatDoesNotEchoTheToken() {
        SpecException e = catchThrowableOfType(SpecException.class, () -> parse(VALID.replace("stages:\n", """
                metrics:
                  grafana: {token: glsa_plainTextToken123}
                stages:
                """)));

        assertThat(e.getMessage()).contains("metrics.grafana.url: is required")
                .contains("metrics.grafana.token: must not hold a token in plain text; use ${env:NAME}")
                .doesNotContain("glsa_plainTextToken123");
    }

    @Test
    void parse_twoStagesOnOneBranch_isAnError() {
        String yaml = """
                app: a
                build: {context: .}
                stages:
                  staging: {branch: main}
                  preview: {branch: main}
                """;

        assertThatThrownBy(() -> parse(yaml)).hasMessageContaining(
                "stages.preview.branch: branch 'main' already deploys stage staging");
    }

    @Test
    void parse_promoteFromAnotherStage_isRead() {
        SlipwaySpec spec = parse("""
                app: a
                build: {context: .}
                stages:
                  staging: {branch: main}
                  prod: {branch: prod, promote-from: staging}
                """);

        assertThat(spec.stage("prod").orElseThrow().promoteFrom()).isEqualTo("staging");
        assertThat(spec.stage("staging").orElseThrow().promoteFrom()).isNull();
    }

    @Test
    void parse_badPromotions_reportEveryOneWithItsPath() {
        String yaml = """
                app: a
                build: {context: .}
                stages:
                  staging: {branch: main, promote-from: staging}
                  prod: {branch: prod, promote-from: stagin}
                  a: {branch: a, promote-from: b}
                  b: {branch: b, promote-from: a}
                  remote: {branch: r, target: ecs, promote-from: c, ecs: {region: eu-west-1, cluster: c, service: s, task-definition: t.json, ecr-repository: one}}
                  c: {branch: c}
                  e1: {branch: e1, target: ecs, ecs: {region: eu-west-1, cluster: c, service: s, task-definition: t.json, ecr-repository: one}}
                  e2: {branch: e2, target: ecs, promote-from: e1, ecs: {region: eu-west-1, cluster: c, service: s2, task-definition: t.json, ecr-repository: two}}
                  e3: {branch: e3, target: ecs, promote-from: e1, ecs: {region: us-east-1, cluster: c, service: s3, task-definition: t.json, ecr-repository: one}}
                  e4: {branch: e4, target: ecs, promote-from: e1, ecs: {region: eu-west-1, cluster: c, service: s4, task-definition: t.json, ecr-repository: one, registry: "127.0.0.1:5000"}}
                  r1: {branch: r1, target: ecs, ecs: {region: eu-west-1, cluster: c, service: s, task-definition: t.json, ecr-repository: one, role-arn: "arn:aws:iam::111111111111:role/d"}}
                  r2: {branch: r2, target: ecs, promote-from: r1, ecs: {region: eu-west-1, cluster: c, service: s5, task-definition: t.json, ecr-repository: one, role-arn: "arn:aws:iam::222222222222:role/d"}}
                  ok: {branch: ok, target: ecs, promote-from: r1, ecs: {region: eu-west-1, cluster: c2, service: s, task-definition: t.json, ecr-repository: one}}
                """;

        assertThatThrownBy(() -> parse(yaml)).isInstanceOf(SpecException.class)
                .hasMessageContaining("stages.staging.promote-from: names this stage itself")
                .hasMessageContaining("stages.prod.promote-from: names no stage of this file: 'stagin'")
                .hasMessageContaining("did you mean 'staging'")
                .hasMessageContaining("stages.a.promote-from: makes a cycle of promotions (a -> b")
                .hasMessageContaining("stages.b.promote-from: makes a cycle of promotions (b -> a")
                .hasMessageContaining("stages.remote.promote-from: stage c uses target local and this one ecs")
                .hasMessageContaining("stages.e2.promote-from: stage e1 keeps its images in ECR repository one and this one in two")
                .hasMessageContaining("stages.e3.promote-from: stage e1 keeps its images in ECR repository one (region eu-west-1) and this"
                        + " one in ECR repository one (region us-east-1): the same ecs.ecr-repository name, but another repository")
                .hasMessageContaining("stages.e4.promote-from: stage e1 keeps its images in ECR repository one (region eu-west-1) and this"
                        + " one in repository 127.0.0.1:5000/one")
                .hasMessageContaining("stages.r2.promote-from: stage r1 deploys with a role of account 111111111111 (ecs.role-arn) and"
                        + " this one of account 222222222222")
                .hasMessageNotContaining("stages.ok.");
    }

    @Test
    void parse_brokenYaml_namesTheLine() {
        assertThatThrownBy(() -> parse("app: a\nstages: [\n")).isInstanceOf(SpecException.class)
                .hasMessageContaining("not valid YAML at line");
    }

    @Test
    void parse_wrongTypes_saySoWithThePath() {
        String yaml = """
                app: a
                build: {context: .}
                migrations: {command: {a: b}, timeout: soon}
                stages:
                  staging: {branch: main, replicas: two, environment: [A]}
                """;

        SpecException e = catchThrowableOfType(SpecException.class, () -> parse(yaml));

        assertThat(e.problems()).contains(
                "migrations.command: must be a list like [java, -jar, app.jar, migrate], found a mapping",
                "migrations.timeout: must be a duration like 500ms, 30s, 5m or 1h, found 'soon'",
                "stages.staging.replicas: must be a whole number, found 'two'",
                "stages.staging.environment: must be a mapping of NAME: value, found a list");
    }

    @Test
    void configValue_envReference_resolvesAtRunTimeAndPrintsAsWritten() {
        ConfigValue v = parse(VALID).stage("staging").orElseThrow().database().password();

        assertThat(v.isSecret()).isTrue();
        assertThat(v.resolve(Map.of("STAGING_DB_PASSWORD", "s3cret")::get, "p")).isEqualTo("s3cret");
        assertThat(v.toString()).isEqualTo("${env:STAGING_DB_PASSWORD}");
    }

    @Test
    void configValue_missingVariable_namesItAndThePath() {
        ConfigValue v = ConfigValue.of("${env:NOPE_NOT_SET}");

        assertThatThrownBy(() -> v.resolve(Map.<String, String>of()::get, "stages.staging.database.password"))
                .hasMessageContaining("stages.staging.database.password: environment variable NOPE_NOT_SET is not set");
    }

    @Test
    void parse_referencesWhereTheyBelong_areAcceptedAndKeptUnresolved() {
        String yaml = """
                app: a
                build:
                  context: .
                  args: {BASE_IMAGE: "localhost/jre:17", PRICE: "$${HOME}"}
                  secrets: {NPM_TOKEN: "${env:NPM_TOKEN}"}
                migrations:
                  command: [flyway, "-password=${env:DB_PASSWORD}", migrate]
                state:
                  url: jdbc:postgresql://db/state?user=slipway&password=${env:STATE_PASSWORD}
                stages:
                  staging:
                    branch: main
                    database: {url: "jdbc:postgresql://app:${env:DB_PASSWORD}@db/app", password: "${env:DB_PASSWORD}"}
                    redis: {url: "redis://:${env:REDIS_PASSWORD}@127.0.0.1:6379/0"}
                    environment: {TEMPLATE: "Hello $${name}", URL: "https://example.com/?q=1"}
                """;

        SlipwaySpec spec = parse(yaml);

        assertThat(spec.build().secrets().get("NPM_TOKEN").references()).containsExactly("NPM_TOKEN");
        assertThat(spec.migrations().command()).containsExactly("flyway", "-password=${env:DB_PASSWORD}", "migrate");
        assertThat(spec.migrations().argv().get(1).resolve(Map.of("DB_PASSWORD", "pw")::get, MigrationsSpec.path(1)))
                .isEqualTo("-password=pw");
        ConfigValue template = spec.stage("staging").orElseThrow().environment().get("TEMPLATE");
        assertThat(template.isSecret()).isFalse();
        assertThat(template.resolve(Map.<String, String>of()::get, "p")).isEqualTo("Hello ${name}");
        assertThat(spec.build().args().get("PRICE").resolve(Map.<String, String>of()::get, "p")).isEqualTo("${HOME}");
    }

    @Test
    void configValue_escapedReference_isLiteralText() {
        ConfigValue v = ConfigValue.of("$${env:HOME} and ${env:USER}");

        assertThat(v.references()).containsExactly("USER");
        assertThat(v.resolve(Map.of("USER", "u", "HOME", "/h")::get, "p")).isEqualTo("${env:HOME} and u");
        assertThat(ConfigValue.literal("${env:HOME}").resolve(Map.of("HOME", "/h")::get, "p")).isEqualTo("${env:HOME}");
    }

    @Test
    void appEnvironment_commitThatLooksLikeAReference_staysLiteral() {
        SlipwaySpec spec = parse(VALID);

        AppEnvironment.Var version = AppEnvironment.of(spec, spec.stage("staging").orElseThrow(), "${env:HOME}").get("APP_VERSION");

        assertThat(version.value().isSecret()).isFalse();
        assertThat(version.value().resolve(Map.of("HOME", "/root")::get, "commit")).isEqualTo("${env:HOME}");
    }

    @Test
    void parse_durationsAtTheirBounds_areAccepted() {
        String yaml = """
                app: a
                build: {context: .}
                timeouts: {build: 168h, snapshot: 1ms}
                migrations: {command: [m], timeout: 604800000ms}
                state: {lease-ttl: 1h}
                stages:
                  staging:
                    branch: main
                    local: {stop-grace: 1s}
                    approvals: {required: 1, timeout: 720h}
                """;

        SlipwaySpec spec = parse(yaml);

        assertThat(spec.timeouts().build()).isEqualTo(Duration.ofDays(7));
        assertThat(spec.migrations().timeout()).isEqualTo(Duration.ofDays(7));
        assertThat(spec.state().leaseTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(spec.stage("staging").orElseThrow().approvals().timeout()).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void suggest_tieBetweenStateAndStages_goesToTheLongerSharedPrefixWhateverTheOrder() {
        assertThat(Suggest.didYouMean("stage", java.util.List.of("state", "stages"))).isEqualTo("; did you mean 'stages'?");
        assertThat(Suggest.didYouMean("stage", java.util.List.of("stages", "state"))).isEqualTo("; did you mean 'stages'?");
        assertThat(Suggest.didYouMean("stage", SlipwaySpec.KEYS)).isEqualTo("; did you mean 'stages'?");
        // equal distance: the longer shared prefix wins over the alphabetically first
        assertThat(Suggest.didYouMean("cab", java.util.List.of("aab", "cabs"))).isEqualTo("; did you mean 'cabs'?");
        // equal distance and prefix: the alphabetically first
        assertThat(Suggest.didYouMean("ab", java.util.List.of("ad", "ac"))).isEqualTo("; did you mean 'ac'?");
    }
}
