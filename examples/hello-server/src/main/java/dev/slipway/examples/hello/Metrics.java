package dev.slipway.examples.hello;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The server's metrics through the Prometheus Java client. Every series carries {@code stage} and {@code version}
 * (from {@code STAGE} and {@code APP_VERSION}, which Slipway gives every replica), so one Prometheus can hold all
 * stages and {@code histogram_quantile} can aggregate a stage's replicas or compare two releases during a roll-out.
 */
final class Metrics {

    static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;
    /** Seconds: a cache hit to a request stuck behind a slow database. */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    /** Methods counted by name; any other (a client may send anything) is {@code OTHER}, so the label stays small. */
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final String stage;
    private final String version;
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter requests;
    private final Counter errors;
    private final Histogram duration;
    private final Gauge greetings;
    private final Gauge dependencyUp;

    Metrics(String stage, String version, Instant startedAt) {
        this.stage = stage;
        this.version = version;
        Gauge.builder().name("hello_up").help("1 while the server runs.").labelNames("stage", "version")
                .register(registry).labelValues(stage, version).set(1);
        Gauge.builder().name("hello_start_time_seconds").help("Start time of the process, seconds since the epoch.")
                .labelNames("stage", "version").register(registry).labelValues(stage, version).set(startedAt.getEpochSecond());
        requests = Counter.builder().name("http_requests_total").help("HTTP requests answered, by method and status.")
                .labelNames("stage", "version", "method", "status").register(registry);
        errors = Counter.builder().name("http_request_errors_total").help("HTTP requests answered with a 5xx status.")
                .labelNames("stage", "version").register(registry);
        errors.labelValues(stage, version); // present at 0 from the start, so rate() sees the first error
        duration = Histogram.builder().name("http_request_duration_seconds").help("Time spent answering HTTP requests.")
                .labelNames("stage", "version").classicOnly().classicUpperBounds(BUCKETS).withoutExemplars().register(registry);
        greetings = Gauge.builder().name("hello_greetings").help("Rows in the greetings table.")
                .labelNames("stage", "version").register(registry);
        dependencyUp = Gauge.builder().name("hello_dependency_up").help("1 if the dependency answered during this scrape.")
                .labelNames("stage", "version", "dependency").register(registry);
    }

    /** Values read from the backing services at scrape time. */
    record Readings(OptionalLong greetings, boolean postgresUp, boolean redisUp) {
    }

    void recordRequest(String method, int status, long nanos) {
        String m = method.toUpperCase(Locale.ROOT);
        requests.labelValues(stage, version, METHODS.contains(m) ? m : "OTHER", Integer.toString(status)).inc();
        if (status >= 500) {
            errors.labelValues(stage, version).inc();
        }
        duration.labelValues(stage, version).observe(nanos / 1e9);
    }

    synchronized String render(Readings readings) {
        if (readings.greetings().isPresent()) {
            greetings.labelValues(stage, version).set(readings.greetings().getAsLong());
        } else {
            greetings.remove(stage, version); // unknown while PostgreSQL is down: no sample rather than a stale one
        }
        dependencyUp.labelValues(stage, version, "postgres").set(readings.postgresUp() ? 1 : 0);
        dependencyUp.labelValues(stage, version, "redis").set(readings.redisUp() ? 1 : 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
