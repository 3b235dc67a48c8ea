package dev.slipway.core.spec;

import java.time.Duration;
import java.util.Set;

/**
 * Where run metrics and deploy markers go, and where Prometheus finds the stages' replicas. Every series carries
 * {@code app} and {@code stage} labels.
 *
 * @param pushgateway Prometheus Pushgateway URL that CLI runs push to; null to push nowhere
 * @param grafana     the Grafana that gets an annotation per run; null for none
 * @param fileSd      directory, relative to the project directory, in which the local target keeps one Prometheus
 *                    {@code file_sd} file per stage ({@code <app>-<stage>.json}) listing the stage's live replicas; null
 *                    to write none
 */
public record MetricsSpec(String pushgateway, GrafanaSpec grafana, String fileSd) {
    static final Set<String> KEYS = Set.of("pushgateway", "grafana", "file-sd");

    /** Pushing only: no deploy markers, no discovery files. */
    public MetricsSpec(String pushgateway) {
        this(pushgateway, null, null);
    }

    /**
     * A Grafana that gets a deploy marker (an annotation) when a run ends; a failing Grafana never fails a run.
     *
     * @param url     Grafana's base URL (with its sub-path, if served under one); no credentials in it
     * @param token   a service account token, always a {@code ${env:NAME}} reference; never printed
     * @param timeout how long one annotation request may take
     */
    public record GrafanaSpec(String url, ConfigValue token, Duration timeout) {
        static final Set<String> KEYS = Set.of("url", "token", "timeout");
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

        static GrafanaSpec read(Node n) {
            if (!n.mapping(KEYS)) {
                return null;
            }
            String url = n.plainUrl("url", false);
            if (url == null && !n.get("url").present()) {
                n.get("url").problem("is required");
            } else if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
                n.get("url").problem("must be an http(s) URL");
            }
            ConfigValue token = n.value("token", true);
            if (token != null && !token.isSecret()) {
                n.get("token").problem("must not hold a token in plain text; use ${env:NAME}");
                token = null;
            }
            return new GrafanaSpec(url, token, n.duration("timeout", DEFAULT_TIMEOUT, Duration.ofMillis(100), Duration.ofMinutes(1)));
        }
    }

    static MetricsSpec read(Node n) {
        if (!n.mapping(KEYS)) {
            return new MetricsSpec(null, null, null);
        }
        String url = n.plainUrl("pushgateway", false);
        if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
            n.get("pushgateway").problem("must be an http(s) URL");
        }
        String fileSd = n.string("file-sd", null, false);
        if (fileSd != null && fileSd.isBlank()) {
            n.get("file-sd").problem("must name a directory");
            fileSd = null;
        }
        return new MetricsSpec(url, GrafanaSpec.read(n.get("grafana")), fileSd);
    }
}
