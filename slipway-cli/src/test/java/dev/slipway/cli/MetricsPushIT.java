package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A deploy pushes its stage's metrics, labelled with app and stage, to a real Prometheus Pushgateway. */
class MetricsPushIT {
    static final Path BINARY = Path.of("/usr/bin/prometheus-pushgateway");
    @TempDir
    Path dir;
    Process gateway;

    @AfterEach
    void stop() throws InterruptedException {
        if (gateway != null) {
            gateway.destroy();
            gateway.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void deploy_withPushgateway_pushesRunMetricsLabelledWithTheStage() throws Exception {
        if ("true".equals(System.getenv("CI"))) {
            assertThat(BINARY).as("CI installs prometheus-pushgateway (scripts/test.sh)").exists();
        }
        assumeTrue(Files.isExecutable(BINARY), "prometheus-pushgateway not installed; scripts/test.sh installs it");
        // port 0 and the address from the log: a port probed free beforehand could be taken by a parallel test's gateway;
        // no persistence file: Debian's build defaults to /var/lib/prometheus/pushgateway.data, shared by every gateway
        Path log = dir.resolve("gateway.log");
        gateway = new ProcessBuilder(BINARY.toString(), "--web.listen-address=127.0.0.1:0", "--persistence.file=")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int port = Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> listeningPort(log), p -> p > 0);
        HttpClient http = HttpClient.newHttpClient();
        URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
        Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        try (ProcessFixture f = new ProcessFixture(dir)) {
            Files.writeString(f.spec, Files.readString(f.spec) + "metrics: {pushgateway: \"http://127.0.0.1:" + port + "\"}\n");

            SlipwayProcess p = f.deploy("c1c1c1c");

            assertThat(p.waitFor(60)).as(p.output()).isZero();
            assertThat(p.output()).doesNotContain("metrics not pushed");
            String body = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body();
            String group = "app=\"demo\",instance=\"\",job=\"slipway\",";
            assertThat(body).contains("slipway_runs_total{" + group + "result=\"succeeded\",stage=\"staging\"} 1\n")
                    .contains("slipway_step_duration_seconds_count{" + group + "stage=\"staging\",step=\"migrate\"} 1\n")
                    .contains("slipway_run_duration_seconds_count{" + group + "result=\"succeeded\",stage=\"staging\"} 1\n")
                    .contains("slipway_downtime_seconds_count{" + group + "stage=\"staging\"} 1\n")
                    .contains("slipway_live_info{" + group + "stage=\"staging\",version=\"c1c1c1c\"} 1\n")
                    .contains("slipway_run_in_progress{" + group + "stage=\"staging\"} 0\n")
                    .contains("slipway_dora_deployments_per_day{" + group + "stage=\"staging\",window=\"30d\"}")
                    .contains("slipway_last_success_timestamp_seconds{" + group + "stage=\"staging\"}");
        }
    }

    /** The port in the gateway's {@code msg="Listening on" address=127.0.0.1:PORT} line; 0 before it is written. */
    private static int listeningPort(Path log) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("msg=\"Listening on\" address=127\\.0\\.0\\.1:(\\d+)")
                .matcher(Files.readString(log));
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }
}
