package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy adds a marker to Grafana, and a Grafana that fails or hangs leaves the run's result alone and says so in a
 * warning. Grafana is a local HTTP stub (no Grafana server runs on the project's machines); the request format itself
 * is checked against Grafana's documented API in {@code GrafanaAnnotationsTest}.
 */
class GrafanaMarkersIT {
    static final String TOKEN = "glsa_markerToken_0123456789";
    @TempDir
    Path dir;
    HttpServer grafana;
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final List<String> auth = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    volatile int status = 200;
    volatile boolean hang;

    @BeforeEach
    void start() throws IOException {
        grafana = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        grafana.createContext("/api/annotations", this::handle);
        grafana.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        grafana.stop(0);
    }

    @Test
    void deploy_withGrafana_addsOneMarkerForTheRun() throws Exception {
        try (ProcessFixture f = fixture("5s")) {
            SlipwayProcess p = deploy(f);

            assertThat(p.waitFor(60)).as(p.output()).isZero();
            assertThat(p.output()).doesNotContain("warning").doesNotContain(TOKEN);
            assertThat(auth).containsExactly("Bearer " + TOKEN);
            JsonNode marker = received.get(0);
            assertThat(marker.get("tags")).extracting(JsonNode::asText)
                    .containsExactly("slipway", "app:demo", "stage:staging", "result:succeeded", "commit:c1c1c1c");
            assertThat(marker.get("timeEnd").asLong()).isGreaterThan(marker.get("time").asLong());
            assertThat(marker.get("text").asText()).startsWith("demo deploy of c1c1c1c to staging: succeeded (slipway run 1)");
        }
    }

    @Test
    void deploy_grafanaAnswers500_succeedsWithAWarning() throws Exception {
        status = 500;
        try (ProcessFixture f = fixture("5s")) {
            SlipwayProcess p = deploy(f);

            assertThat(p.waitFor(60)).as(p.output()).isZero();
            assertThat(p.output()).contains("warning: no deploy marker added to Grafana: grafana http://127.0.0.1:"
                    + grafana.getAddress().getPort() + "/api/annotations answered 500").doesNotContain(TOKEN);
        }
    }

    @Test
    void deploy_grafanaHangs_succeedsWithAWarningAfterTheTimeout() throws Exception {
        hang = true;
        try (ProcessFixture f = fixture("500ms")) {
            SlipwayProcess p = deploy(f);

            assertThat(p.waitFor(60)).as(p.output()).isZero();
            assertThat(p.output()).contains("warning: no deploy marker added to Grafana: grafana http://127.0.0.1:")
                    .contains("did not answer within 500 ms");
        }
    }

    private ProcessFixture fixture(String timeout) throws IOException {
        ProcessFixture f = new ProcessFixture(dir);
        Files.writeString(f.spec, Files.readString(f.spec) + "metrics:\n  grafana: {url: \"http://127.0.0.1:"
                + grafana.getAddress().getPort() + "\", token: \"${env:GRAFANA_TOKEN}\", timeout: " + timeout + "}\n");
        return f;
    }

    private static SlipwayProcess deploy(ProcessFixture f) throws IOException {
        Map<String, String> env = new HashMap<>(f.env());
        env.put("GRAFANA_TOKEN", TOKEN);
        return SlipwayProcess.start(f.dir, env, "deploy", "staging", "--commit", "c1c1c1c", "-f", f.spec.toString());
    }

    private void handle(HttpExchange ex) throws IOException {
        auth.add(ex.getRequestHeaders().getFirst("Authorization"));
        received.add(new ObjectMapper().readTree(ex.getRequestBody().readAllBytes()));
        if (hang) {
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] answer = (status == 200 ? "{\"message\":\"Annotation added\",\"id\":1}" : "{\"message\":\"Failed to save annotation\"}")
                .getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, answer.length);
        ex.getResponseBody().write(answer);
        ex.close();
    }
}
