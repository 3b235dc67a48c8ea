package dev.slipway.examples.hello;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches on exact path and method, counts every request in {@link Metrics}, and tracks in-flight
 * requests so that a shutdown can drain them.
 */
final class Router implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    /** What an endpoint answers. */
    record Response(int status, String contentType, String body) {
        static Response json(int status, String body) {
            return new Response(status, "application/json", body);
        }
    }

    /** One endpoint; it may throw, which becomes a 500. */
    interface Endpoint {
        Response handle(HttpExchange exchange) throws Exception;
    }

    private final Map<String, Map<String, Endpoint>> routes = new HashMap<>();
    private final Metrics metrics;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    Router(Metrics metrics) {
        this.metrics = metrics;
    }

    Router route(String method, String path, Endpoint endpoint) {
        routes.computeIfAbsent(path, p -> new HashMap<>()).put(method, endpoint);
        return this;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        long start = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        try {
            Response response = draining ? shuttingDown(exchange) : dispatch(exchange, path);
            send(exchange, response);
            metrics.recordRequest(exchange.getRequestMethod(), response.status(), System.nanoTime() - start);
        } finally {
            exchange.close();
            inFlight.decrementAndGet();
        }
    }

    private Response dispatch(HttpExchange exchange, String path) {
        Map<String, Endpoint> byMethod = routes.get(path);
        if (byMethod == null) {
            return Response.json(404, "{\"error\":\"no such path\"}");
        }
        Endpoint endpoint = byMethod.get(exchange.getRequestMethod());
        if (endpoint == null) {
            exchange.getResponseHeaders().set("Allow", String.join(", ", byMethod.keySet()));
            return Response.json(405, "{\"error\":\"method not allowed\"}");
        }
        try {
            return endpoint.handle(exchange);
        } catch (Exception e) {
            LOG.warn("{} {} failed: {}", exchange.getRequestMethod(), path, e.toString());
            return Response.json(500, "{\"error\":\"internal error\"}");
        }
    }

    private static Response shuttingDown(HttpExchange exchange) {
        exchange.getResponseHeaders().set("Connection", "close");
        return Response.json(503, "{\"error\":\"shutting down\"}");
    }

    private static void send(HttpExchange exchange, Response response) throws IOException {
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Answers new requests with 503 from now on and waits until running ones are done. */
    boolean drain(Duration grace) throws InterruptedException {
        draining = true;
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
