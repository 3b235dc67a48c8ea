package dev.slipway.core.spec;

import java.util.Set;

/**
 * Where run metrics go, and where Prometheus finds the stages' replicas. Every series carries {@code app} and
 * {@code stage} labels.
 *
 * @param pushgateway Prometheus Pushgateway URL that CLI runs push to; null to push nowhere
 * @param fileSd      directory, relative to the project directory, in which the local target keeps one Prometheus
 *                    {@code file_sd} file per stage ({@code <app>-<stage>.json}) listing the stage's live replicas; null
 *                    to write none
 */
public record MetricsSpec(String pushgateway, String fileSd) {
    static final Set<String> KEYS = Set.of("pushgateway", "file-sd");

    /** Pushing only, no discovery files. */
    public MetricsSpec(String pushgateway) {
        this(pushgateway, null);
    }

    static MetricsSpec read(Node n) {
        if (!n.mapping(KEYS)) {
            return new MetricsSpec(null, null);
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
        return new MetricsSpec(url, fileSd);
    }
}
