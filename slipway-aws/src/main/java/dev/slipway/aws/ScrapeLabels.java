package dev.slipway.aws;

import dev.slipway.core.target.StepContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The docker labels Slipway puts on the app's container in every task definition it registers: the {@code app},
 * {@code stage} and {@code version} (commit) the local target writes into its file_sd files, and where the container
 * serves metrics in the label names the ADOT collector's {@code ecs_observer} reads (docs/observability.md).
 */
final class ScrapeLabels {
    static final String EXPORTER_PREFIX = "PROMETHEUS_EXPORTER_";

    private ScrapeLabels() {
    }

    static Map<String, String> of(StepContext ctx) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app", ctx.spec().app());
        labels.put("stage", ctx.stage().name());
        labels.put("version", ctx.commit());
        labels.put(EXPORTER_PREFIX + "PORT", String.valueOf(ctx.spec().health().port()));
        labels.put(EXPORTER_PREFIX + "JOB_NAME", ctx.spec().app());
        labels.put(EXPORTER_PREFIX + "PATH", "/metrics");
        return labels;
    }
}
