package dev.slipway.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The annotation client against a local HTTP stub: there is no Grafana server on the project's machines. The stub
 * checks each request against Grafana's documented annotation API (HTTP API reference, "Annotations" → "Create
 * Annotation"): {@code POST /api/annotations}, JSON body whose documented fields are {@code dashboardUID},
 * {@code panelId}, {@code time} and {@code timeEnd} (epoch milliseconds), {@code tags} (array of strings) and
 * {@code text}; authentication by {@code Authorization: Bearer <service account token>}. It answers as Grafana
 * does: {@code {"message":"Annotation added","id":1}}.
 */
class GrafanaAnnotationsTest {
    static final String TOKEN = "glsa_stubToken0123456789abcdef";
    static final Set<String> DOCUMENTED = Set.of("dashboardUID", "dashboardId", "panelId", "time", "timeEnd", "tags", "text");
    static final DeployMarker MARKER = new DeployMarker(Instant.parse("2026-03-05T14:00:00Z"), Instant.parse("2026-03-05T14:31:00Z"),
            List.of("slipway", "app:hello", "stage:production", "result:succeeded", "commit:0123456789ab"),
            "hello deploy of 0123456789abcdef to production: succeeded (slipway run 6)");

    HttpServer server;
    final List<String> violations = new ArrayList<>();
    final List<JsonNode> bodies = new ArrayList<>();
    volatile int status = 200;
    final CountDownLatch release = new CountDownLatch(1);
    volatile boolean hang;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    @Test
    void add_marker_postsWhatGrafanaDocuments() {
        String problem = client(Duration.ofSeconds(5)).add(MARKER);

        assertThat(problem).isNull();
        assertThat(violations).isEmpty();
        assertThat(bodies).hasSize(1);
        JsonNode body = bodies.get(0);
        assertThat(body.get("time").asLong()).isEqualTo(MARKER.start().toEpochMilli());
        assertThat(body.get("timeEnd").asLong()).isEqualTo(MARKER.end().toEpochMilli());
        assertThat(body.get("tags")).extracting(JsonNode::asText)
                .containsExactly("slipway", "app:hello", "stage:production", "result:succeeded", "commit:0123456789ab");
        assertThat(body.get("text").asText()).isEqualTo(MARKER.text());
    }

    @Test
    void add_underASubPath_postsToTheSubPathsApi() {
        String problem = new GrafanaAnnotations("http://127.0.0.1:" + server.getAddress().getPort() + "/grafana/", TOKEN,
                Duration.ofSeconds(5)).add(MARKER);

        assertThat(problem).isNull();
        assertThat(violations).containsExactly("path is /grafana/api/annotations, not /api/annotations");
    }

    @Test
    void add_grafanaAnswers500_isAProblemThatNeverShowsTheToken() {
        status = 500;

        String problem = client(Duration.ofSeconds(5)).add(MARKER);

        assertThat(problem).contains("answered 500").contains("internal error").doesNotContain(TOKEN);
    }

    @Test
    void add_grafanaHangs_isAProblemAfterTheTimeout() {
        hang = true;

        String problem = client(Duration.ofMillis(300)).add(MARKER);

        assertThat(problem).contains("did not answer within 300 ms");
    }

    private GrafanaAnnotations client(Duration timeout) {
        return new GrafanaAnnotations("http://127.0.0.1:" + server.getAddress().getPort(), TOKEN, timeout);
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] raw = ex.getRequestBody().readAllBytes();
        check(ex, new String(raw, StandardCharsets.UTF_8));
        if (hang) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // a 500 that echoes the request's Authorization header, as a careless proxy might
        byte[] answer = (status == 200 ? "{\"message\":\"Annotation added\",\"id\":1}"
                : "{\"message\":\"internal error\",\"auth\":\"" + ex.getRequestHeaders().getFirst("Authorization") + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, answer.length);
        ex.getResponseBody().write(answer);
        ex.close();
    }

    private synchronized void check(HttpExchange ex, String raw) {
        if (!ex.getRequestMethod().equals("POST")) {
            violations.add("method is " + ex.getRequestMethod());
        }
        if (!ex.getRequestURI().getPath().equals("/api/annotations")) {
            violations.add("path is " + ex.getRequestURI().getPath() + ", not /api/annotations");
        }
        if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            violations.add("Authorization is not Bearer <token>");
        }
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            violations.add("Content-Type is " + type);
        }
        JsonNode body;
        try {
            body = new ObjectMapper().readTree(raw);
        } catch (IOException e) {
            violations.add("body is not JSON: " + raw);
            return;
        }
        bodies.add(body);
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!DOCUMENTED.contains(f)) {
                violations.add("undocumented field " + f);
            }
        }
        if (!body.path("time").isIntegralNumber() || !body.path("timeEnd").isIntegralNumber()) {
            violations.add("time and timeEnd must be epoch milliseconds (integers)");
        } else if (body.get("timeEnd").asLong() < body.get("time").asLong()) {
            violations.add("timeEnd before time");
        }
        if (!body.path("tags").isArray()) {
            violations.add("tags is not an array");
        } else {
            body.get("tags").forEach(t -> {
                if (!t.isTextual()) {
                    violations.add("tag " + t + " is not a string");
                }
            });
        }
        if (!body.path("text").isTextual()) {
            violations.add("text is not a string");
        }
    }
}
