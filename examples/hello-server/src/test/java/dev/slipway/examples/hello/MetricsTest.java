package dev.slipway.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MetricsTest {

    private final Metrics metrics = new Metrics("staging", "abc123", Instant.ofEpochSecond(1_700_000_000L));

    @Test
    void render_noRequests_hasUpAndStartTimeWithStage() {
        String text = metrics.render(new Metrics.Readings(OptionalLong.empty(), false, true));

        assertThat(text).contains(
                "# TYPE hello_up gauge\nhello_up{stage=\"staging\",version=\"abc123\"} 1\n",
                "hello_start_time_seconds{stage=\"staging\"} 1700000000\n",
                "hello_dependency_up{stage=\"staging\",dependency=\"postgres\"} 0\n",
                "hello_dependency_up{stage=\"staging\",dependency=\"redis\"} 1\n");
        assertThat(text).doesNotContain("hello_greetings_total{");
    }

    @Test
    void render_requests_countsByPathAndStatusInStableOrder() {
        metrics.recordRequest("/healthz", 200, 1_000_000);
        metrics.recordRequest("/greetings", 201, 2_000_000);
        metrics.recordRequest("/healthz", 200, 3_000_000);
        metrics.recordRequest("/healthz", 503, 1_000_000);

        String text = metrics.render(new Metrics.Readings(OptionalLong.of(7), true, true));

        assertThat(text).contains("# TYPE hello_requests_total counter\n"
                + "hello_requests_total{stage=\"staging\",path=\"/greetings\",status=\"201\"} 1\n"
                + "hello_requests_total{stage=\"staging\",path=\"/healthz\",status=\"200\"} 2\n"
                + "hello_requests_total{stage=\"staging\",path=\"/healthz\",status=\"503\"} 1\n");
        assertThat(text).contains("hello_request_duration_seconds_sum{stage=\"staging\",path=\"/healthz\"} 0.005\n",
                "hello_request_duration_seconds_count{stage=\"staging\",path=\"/healthz\"} 3\n",
                "hello_greetings_total{stage=\"staging\"} 7\n");
    }

    @Test
    void render_everySample_carriesStageLabel() {
        metrics.recordRequest("/", 200, 10);

        String text = metrics.render(new Metrics.Readings(OptionalLong.of(1), true, true));

        assertThat(text.lines().filter(line -> !line.startsWith("#")))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("{stage=\"staging\""));
    }

    @Test
    void labels_specialCharacters_areEscaped() {
        assertThat(Metrics.labels("stage", "a\"b\\c\nd")).isEqualTo("{stage=\"a\\\"b\\\\c\\nd\"}");
    }

    @Test
    void format_wholeAndFractionalNumbers_renderPlainly() {
        assertThat(Metrics.format(3)).isEqualTo("3");
        assertThat(Metrics.format(0.25)).isEqualTo("0.25");
        assertThat(Metrics.format(Double.NaN)).isEqualTo("NaN");
    }
}
