package dev.slipway.examples.hello;

import java.time.Instant;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counters and the Prometheus text exposition format (version 0.0.4). Every series carries the
 * {@code stage} label so that all stages can share one Prometheus.
 */
final class Metrics {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final String stage;
    private final String version;
    private final Instant startedAt;
    private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Duration> durations = new ConcurrentHashMap<>();

    Metrics(String stage, String version, Instant startedAt) {
        this.stage = stage;
        this.version = version;
        this.startedAt = startedAt;
    }

    /** Values read from the backing services at scrape time. */
    record Readings(OptionalLong greetings, boolean postgresUp, boolean redisUp) {
    }

    void recordRequest(String path, int status, long nanos) {
        requests.computeIfAbsent(new RequestKey(path, status), k -> new LongAdder()).increment();
        Duration duration = durations.computeIfAbsent(path, k -> new Duration());
        duration.count.increment();
        duration.nanos.add(nanos);
    }

    String render(Readings readings) {
        StringBuilder out = new StringBuilder(1024);
        header(out, "hello_up", "gauge", "1 while the server runs.");
        sample(out, "hello_up", labels("stage", stage, "version", version), 1);
        header(out, "hello_start_time_seconds", "gauge", "Start time of the process, seconds since the epoch.");
        sample(out, "hello_start_time_seconds", labels("stage", stage), startedAt.getEpochSecond());
        renderRequests(out);
        renderDurations(out);
        renderReadings(out, readings);
        return out.toString();
    }

    private void renderRequests(StringBuilder out) {
        header(out, "hello_requests_total", "counter", "HTTP requests by path and status.");
        new TreeMap<>(requests).forEach((key, count) -> sample(out, "hello_requests_total",
                labels("stage", stage, "path", key.path(), "status", Integer.toString(key.status())), count.sum()));
    }

    private void renderDurations(StringBuilder out) {
        header(out, "hello_request_duration_seconds", "summary", "Time spent answering HTTP requests.");
        new TreeMap<>(durations).forEach((path, duration) -> {
            String labels = labels("stage", stage, "path", path);
            sample(out, "hello_request_duration_seconds_sum", labels, duration.nanos.sum() / 1e9);
            sample(out, "hello_request_duration_seconds_count", labels, duration.count.sum());
        });
    }

    private void renderReadings(StringBuilder out, Readings readings) {
        if (readings.greetings().isPresent()) {
            header(out, "hello_greetings_total", "gauge", "Rows in the greetings table.");
            sample(out, "hello_greetings_total", labels("stage", stage), readings.greetings().getAsLong());
        }
        header(out, "hello_dependency_up", "gauge", "1 if the dependency answered during this scrape.");
        sample(out, "hello_dependency_up", labels("stage", stage, "dependency", "postgres"),
                readings.postgresUp() ? 1 : 0);
        sample(out, "hello_dependency_up", labels("stage", stage, "dependency", "redis"),
                readings.redisUp() ? 1 : 0);
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name).append(labels).append(' ').append(format(value)).append('\n');
    }

    static String format(double value) {
        if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /** Renders {@code {k1="v1",k2="v2"}} from alternating names and values, escaping the values. */
    static String labels(String... namesAndValues) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (i > 0) {
                out.append(',');
            }
            out.append(namesAndValues[i]).append("=\"").append(escape(namesAndValues[i + 1])).append('"');
        }
        return out.append('}').toString();
    }

    static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private record RequestKey(String path, int status) implements Comparable<RequestKey> {
        @Override
        public int compareTo(RequestKey other) {
            int byPath = path.compareTo(other.path);
            return byPath != 0 ? byPath : Integer.compare(status, other.status);
        }
    }

    private static final class Duration {
        final LongAdder count = new LongAdder();
        final LongAdder nanos = new LongAdder();
    }
}
