package dev.slipway.cli.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.SpecLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitObservabilityTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    @TempDir
    Path project;
    final ByteArrayOutputStream printed = new ByteArrayOutputStream();

    @Test
    void run_freshDirectory_writesPrometheusAndGrafanaFilesWithTheStagesTargetsAndGatewayHonouringLabels() throws Exception {
        assertThat(run(false)).as(printed()).isZero();

        JsonNode config = YAML.readTree(project.resolve("observability/prometheus/prometheus.yml").toFile());
        JsonNode app = config.at("/scrape_configs/0");
        assertThat(app.at("/job_name").asText()).isEqualTo("shop");
        assertThat(app.at("/honor_labels").asBoolean()).isFalse();
        assertThat(app.at("/file_sd_configs/0/files/0").asText()).isEqualTo(project.resolve("targets/shop-*.json").toString());
        JsonNode gateway = config.at("/scrape_configs/1");
        assertThat(gateway.at("/honor_labels").asBoolean()).isTrue();
        assertThat(gateway.at("/static_configs/0/targets/0").asText()).isEqualTo("127.0.0.1:9091");
        assertThat(config.at("/rule_files/0").asText()).isEqualTo("rules/slipway-rules.yml");
        JsonNode datasource = YAML.readTree(project.resolve("observability/grafana/provisioning/datasources/slipway.yml").toFile());
        assertThat(datasource.at("/datasources/0/url").asText()).isEqualTo("http://prom:9090");
        JsonNode dashboard = new ObjectMapper().readTree(project.resolve("observability/grafana/dashboards/shop-app.json").toFile());
        assertThat(dashboard.at("/templating/list/0/name").asText()).isEqualTo("stage");
        assertThat(printed()).contains("wrote: " + project.resolve("observability/grafana/dashboards/shop-deploys.json"));
    }

    @Test
    void run_again_leavesEveryFileUnchanged() throws Exception {
        run(false);
        printed.reset();

        assertThat(run(false)).isZero();

        assertThat(printed()).doesNotContain("wrote:").contains("unchanged: " + project.resolve("observability/prometheus/prometheus.yml"));
    }

    @Test
    void run_afterSomeoneEditedADashboard_refusesAndWritesNothingUntilForced() throws Exception {
        run(false);
        Path dashboard = project.resolve("observability/grafana/dashboards/shop-app.json");
        Files.writeString(dashboard, Files.readString(dashboard).replace("Replicas up", "Replicas"));
        Files.delete(project.resolve("observability/prometheus/prometheus.yml"));
        printed.reset();

        assertThat(run(false)).isEqualTo(2);
        assertThat(printed()).contains("refused: " + dashboard);
        assertThat(project.resolve("observability/prometheus/prometheus.yml")).doesNotExist();
        assertThat(Files.readString(dashboard)).contains("\"Replicas\"");

        assertThat(run(true)).isZero();
        assertThat(Files.readString(dashboard)).contains("\"Replicas up\"");
        assertThat(printed()).contains("overwrote (--force): " + dashboard);
    }

    @Test
    void run_fileWrittenByAnOlderSlipwayAndUntouched_isReplacedWithoutForce() throws Exception {
        run(false);
        Path rules = project.resolve("observability/prometheus/rules/slipway-rules.yml");
        String older = Files.readString(rules).replace("1800", "3600");
        Files.writeString(rules, older);
        Path manifest = project.resolve("observability/.slipway-generated");
        Files.writeString(manifest, Files.readString(manifest).replaceAll("[0-9a-f]{64}(  prometheus/rules/slipway-rules.yml)",
                GeneratedFiles.sha256(older) + "$1"));
        printed.reset();

        assertThat(run(false)).as(printed()).isZero();

        assertThat(printed()).contains("updated: " + rules);
        assertThat(Files.readString(rules)).doesNotContain("3600");
    }

    @Test
    void run_withAnEcsStage_writesAnAdotCollectorConfigForItsClusterThatParses() throws Exception {
        SlipwaySpec spec = new SpecLoader(Set.of("local", "ecs")).parse("""
                app: shop
                build: {context: app, dockerfile: Containerfile}
                migrations: {command: [migrate], timeout: 30s}
                health: {path: /healthz, port: 8080, timeout: 20s}
                metrics: {pushgateway: "https://gateway.internal"}
                stages:
                  live:
                    branch: live
                    target: ecs
                    database: {url: "jdbc:postgresql://db.internal:5432/shop", user: app}
                    ecs: {region: eu-west-1, cluster: main, service: shop, task-definition: td.json, ecr-repository: shop, rds-instance: shop}
                """, "test.yml", project);

        assertThat(run(spec, false)).as(printed()).isZero();

        JsonNode adot = YAML.readTree(project.resolve("observability/aws/adot-collector-live.yml").toFile());
        assertThat(adot.at("/extensions/ecs_observer/cluster_name").asText()).isEqualTo("main");
        assertThat(adot.at("/extensions/ecs_observer/cluster_region").asText()).isEqualTo("eu-west-1");
        assertThat(adot.at("/receivers/prometheus/config/scrape_configs/1/static_configs/0/targets/0").asText())
                .isEqualTo("gateway.internal:443");
        JsonNode prometheus = YAML.readTree(project.resolve("observability/prometheus/prometheus.yml").toFile());
        assertThat(prometheus.at("/scrape_configs")).hasSize(1);
    }

    @Test
    void run_stageBehindCaddy_getsAProxyJobOnTheAdminPortLabelledWithItsStage() throws Exception {
        SlipwaySpec spec = new SpecLoader(Set.of("local")).parse("""
                app: shop
                build: {context: app, dockerfile: Containerfile}
                migrations: {command: [migrate], timeout: 30s}
                health: {path: /healthz, port: 8080, timeout: 20s}
                metrics: {pushgateway: "http://127.0.0.1:9091", file-sd: targets}
                stages:
                  staging:
                    branch: main
                    target: local
                    local: {port: 19000, proxy: caddy, proxy-admin: 19500}
                  qa:
                    branch: qa
                    target: local
                    local: {port: 19100}
                """, "test.yml", project);

        assertThat(run(spec, false)).as(printed()).isZero();

        JsonNode jobs = YAML.readTree(project.resolve("observability/prometheus/prometheus.yml").toFile()).at("/scrape_configs");
        assertThat(jobs).hasSize(3); // the app, the gateway, and one proxy: qa has none
        JsonNode proxy = jobs.get(2);
        assertThat(proxy.at("/job_name").asText()).isEqualTo("slipway-proxy-staging");
        assertThat(proxy.at("/static_configs/0/targets/0").asText()).isEqualTo("127.0.0.1:19500");
        assertThat(proxy.at("/static_configs/0/labels/stage").asText()).isEqualTo("staging");
        assertThat(proxy.at("/static_configs/0/labels/app").asText()).isEqualTo("shop");
    }

    @Test
    void run_withoutPushgateway_refusesNamingTheKey() {
        assertThat(run(spec("metrics: {file-sd: targets}\n"), false)).isEqualTo(2);

        assertThat(printed()).contains("metrics.pushgateway is not set");
    }

    private int run(boolean force) {
        return run(spec("metrics: {pushgateway: \"http://127.0.0.1:9091\", file-sd: targets}\n"), force);
    }

    private int run(SlipwaySpec spec, boolean force) {
        return InitObservability.run(spec, new InitObservability.Options(project.resolve("observability"), "http://prom:9090", "15s", force),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    private SlipwaySpec spec(String metrics) {
        return new SpecLoader(Set.of("local")).parse("""
                app: shop
                build: {context: app, dockerfile: Containerfile}
                migrations: {command: [migrate], timeout: 30s}
                health: {path: /healthz, port: 8080, timeout: 20s}
                stages:
                  staging:
                    branch: main
                    target: local
                    database: {url: "jdbc:postgresql://127.0.0.1:55432/shop", user: app}
                    local: {port: 19000}
                """ + metrics, "test.yml", project);
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }
}
