package dev.slipway.cli.observability;

import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * For a stage on the {@code ecs} target: an AWS Distro for OpenTelemetry collector config. Prometheus 2.42 has no ECS
 * discovery, so the collector's {@code ecs_observer} lists the cluster's tasks whose containers carry the
 * PROMETHEUS_EXPORTER_* docker labels the ecs target sets ({@code ScrapeLabels}), its {@code prometheus} receiver
 * scrapes them and the Pushgateway, and {@code prometheusremotewrite} sends everything to Amazon Managed Service for
 * Prometheus (the URL from the collector's environment, AMP_REMOTE_WRITE_URL). Only checked to be well-formed here:
 * no test runs ECS, the collector or AMP.
 */
final class AdotFiles {
    static final String TARGETS_FILE = "/etc/ecs_observer/targets.yaml";

    private AdotFiles() {
    }

    static Map<String, Object> collector(SlipwaySpec spec, StageSpec stage) {
        Map<String, Object> observer = new LinkedHashMap<>();
        observer.put("cluster_name", stage.ecs().cluster());
        observer.put("cluster_region", stage.ecs().region());
        observer.put("result_file", TARGETS_FILE);
        observer.put("refresh_interval", "30s");
        observer.put("docker_labels", List.of(Map.of("port_label", "PROMETHEUS_EXPORTER_PORT",
                "job_name_label", "PROMETHEUS_EXPORTER_JOB_NAME", "metrics_path_label", "PROMETHEUS_EXPORTER_PATH")));
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("sigv4auth", Map.of("region", stage.ecs().region(), "service", "aps"));
        extensions.put("ecs_observer", observer);
        Map<String, Object> app = new LinkedHashMap<>();
        app.put("job_name", spec.app());
        app.put("file_sd_configs", List.of(Map.of("files", List.of(TARGETS_FILE))));
        URI gateway = URI.create(spec.metrics().pushgateway());
        Map<String, Object> pushgateway = new LinkedHashMap<>();
        pushgateway.put("job_name", PrometheusFiles.PUSHGATEWAY_JOB);
        pushgateway.put("honor_labels", true);
        pushgateway.put("scheme", gateway.getScheme());
        pushgateway.put("static_configs", List.of(Map.of("targets", List.of(gateway.getHost() + ":"
                + (gateway.getPort() > 0 ? gateway.getPort() : "https".equals(gateway.getScheme()) ? 443 : 80)))));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("extensions", extensions);
        root.put("receivers", Map.of("prometheus", Map.of("config", Map.of("scrape_configs", List.of(app, pushgateway)))));
        root.put("exporters", Map.of("prometheusremotewrite", Map.of("endpoint", "${env:AMP_REMOTE_WRITE_URL}",
                "auth", Map.of("authenticator", "sigv4auth"))));
        root.put("service", Map.of("extensions", List.of("sigv4auth", "ecs_observer"),
                "pipelines", Map.of("metrics", Map.of("receivers", List.of("prometheus"), "exporters", List.of("prometheusremotewrite")))));
        return root;
    }
}
