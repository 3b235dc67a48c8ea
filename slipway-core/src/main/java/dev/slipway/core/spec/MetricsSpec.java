package dev.slipway.core.spec;

import java.util.Set;

/**
 * Where run metrics go. Every series carries {@code app} and {@code stage} labels.
 *
 * @param pushgateway Prometheus Pushgateway URL that CLI runs push to; null to push nowhere
 */
public record MetricsSpec(String pushgateway) {
    static final Set<String> KEYS = Set.of("pushgateway");

    static MetricsSpec read(Node n) {
        if (!n.mapping(KEYS)) {
            return new MetricsSpec(null);
        }
        String url = n.plainUrl("pushgateway", false);
        if (url != null && !url.startsWith("http://") && !url.startsWith("https://")) {
            n.get("pushgateway").problem("must be an http(s) URL");
        }
        return new MetricsSpec(url);
    }
}
