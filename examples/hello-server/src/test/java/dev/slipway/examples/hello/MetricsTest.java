package dev.slipway.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private final Metrics metrics = new Metrics("staging", "abc123", Instant.ofEpochSecond(1_700_000_000L));
    private static final String L = "stage=\"staging\",version=\"abc123\"";

    @Test
    void render_noRequests_hasUpStartTimeAndZeroErrors() {
        String text = metrics.render(new Metrics.Readings(OptionalLong.empty(), false, true));

        assertThat(text).contains(
                "# TYPE hello_up gauge\nhello_up{" + L + "} 1.0\n",
                "hello_start_time_seconds{" + L + "} 1.7E9\n",
                "hello_dependency_up{dependency=\"postgres\"," + L + "} 0.0\n",
                "hello_dependency_up{dependency=\"redis\"," + L + "} 1.0\n",
                "http_request_errors_total{" + L + "} 0.0\n");
        assertThat(text).doesNotContain("hello_greetings{");
    }

    @Test
    void render_requests_countByMethodAndStatusWithErrorsAndAClassicHistogram() {
        metrics.recordRequest("GET", 200, 1_000_000);     // 1 ms
        metrics.recordRequest("POST", 201, 20_000_000);   // 20 ms
        metrics.recordRequest("GET", 200, 3_000_000);     // 3 ms
        metrics.recordRequest("GET", 503, 2_000_000_000); // 2 s
        metrics.recordRequest("BREW", 500, 1_000_000);    // 1 ms, a method nobody counts by name

        String text = metrics.render(new Metrics.Readings(OptionalLong.of(7), true, true));

        assertThat(text).contains("# TYPE http_requests_total counter\n",
                "http_requests_total{method=\"GET\",stage=\"staging\",status=\"200\",version=\"abc123\"} 2.0\n",
                "http_requests_total{method=\"GET\",stage=\"staging\",status=\"503\",version=\"abc123\"} 1.0\n",
                "http_requests_total{method=\"POST\",stage=\"staging\",status=\"201\",version=\"abc123\"} 1.0\n",
                "http_requests_total{method=\"OTHER\",stage=\"staging\",status=\"500\",version=\"abc123\"} 1.0\n",
                "http_request_errors_total{" + L + "} 2.0\n",
                "# TYPE http_request_duration_seconds histogram\n",
                "http_request_duration_seconds_bucket{" + L + ",le=\"0.005\"} 3\n",
                "http_request_duration_seconds_bucket{" + L + ",le=\"0.025\"} 4\n",
                "http_request_duration_seconds_bucket{" + L + ",le=\"2.5\"} 5\n",
                "http_request_duration_seconds_count{" + L + "} 5\n",
                "hello_greetings{" + L + "} 7.0\n");
    }

    @Test
    void render_everySample_carriesStageAndVersion() {
        metrics.recordRequest("GET", 200, 10);

        String text = metrics.render(new Metrics.Readings(OptionalLong.of(1), true, true));

        assertThat(text.lines().filter(line -> !line.startsWith("#")))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("stage=\"staging\"").contains("version=\"abc123\""));
    }
}
