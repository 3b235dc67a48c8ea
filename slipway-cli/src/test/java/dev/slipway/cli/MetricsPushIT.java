package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
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
        int port = freePort();
        gateway = new ProcessBuilder(BINARY.toString(), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("gateway.log").toFile()).start();
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
            assertThat(body).contains("slipway_runs_total{app=\"demo\",instance=\"\",job=\"slipway\",result=\"succeeded\",stage=\"staging\"} 1")
                    .contains("slipway_step_duration_seconds{app=\"demo\",instance=\"\",job=\"slipway\",stage=\"staging\",step=\"migrate\"}")
                    .contains("slipway_downtime_seconds{app=\"demo\",instance=\"\",job=\"slipway\",stage=\"staging\"}")
                    .contains("slipway_last_success_timestamp_seconds{app=\"demo\"");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
