package dev.slipway.examples.hello;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs the router in a real JDK HttpServer on a loopback port. */
class RouterTest {

    private final Metrics metrics = new Metrics("test", "v1", Instant.EPOCH);
    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch slowRelease = new CountDownLatch(1);
    private final HttpClient client = HttpClient.newHttpClient();
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private Router router;
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        router = new Router(metrics)
                .route("GET", "/fast", ex -> Router.Response.json(200, "{}"))
                .route("GET", "/slow", ex -> {
                    slowEntered.countDown();
                    slowRelease.await(10, TimeUnit.SECONDS);
                    return Router.Response.json(200, "{\"slow\":true}");
                })
                .route("GET", "/boom", ex -> {
                    throw new IllegalStateException("boom");
                });
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", router);
        server.setExecutor(executor);
        server.start();
    }

    @AfterEach
    void stop() {
        slowRelease.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    @Test
    void handle_knownAndUnknownPaths_answerAndCountByMethodAndStatus() throws Exception {
        assertThat(get("/fast").statusCode()).isEqualTo(200);
        assertThat(get("/missing").statusCode()).isEqualTo(404);
        assertThat(get("/boom").statusCode()).isEqualTo(500);

        assertThat(metrics.render(new Metrics.Readings(OptionalLong.empty(), true, true))).contains(
                "http_requests_total{method=\"GET\",stage=\"test\",status=\"200\",version=\"v1\"} 1.0",
                "http_requests_total{method=\"GET\",stage=\"test\",status=\"404\",version=\"v1\"} 1.0",
                "http_requests_total{method=\"GET\",stage=\"test\",status=\"500\",version=\"v1\"} 1.0",
                "http_request_errors_total{stage=\"test\",version=\"v1\"} 1.0",
                "http_request_duration_seconds_count{stage=\"test\",version=\"v1\"} 3");
    }

    @Test
    void drain_requestInFlight_letsItFinishAndRefusesNewOnes() throws Exception {
        CompletableFuture<HttpResponse<String>> slow = getAsync("/slow");
        assertThat(slowEntered.await(5, TimeUnit.SECONDS)).isTrue();

        assertThat(router.drain(Duration.ZERO)).isFalse();
        assertThat(get("/fast").statusCode()).isEqualTo(503);

        slowRelease.countDown();
        assertThat(slow.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(router.drain(Duration.ofSeconds(5))).isTrue();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return getAsync(path).get(5, TimeUnit.SECONDS);
    }

    private CompletableFuture<HttpResponse<String>> getAsync(String path) {
        URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
        return client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }
}
