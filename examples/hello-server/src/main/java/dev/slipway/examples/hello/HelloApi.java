package dev.slipway.examples.hello;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import com.sun.net.httpserver.HttpExchange;
import dev.slipway.examples.hello.Router.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;

/** The endpoints: {@code /}, {@code /greetings}, {@code /counter}, {@code /healthz}, {@code /metrics}. */
final class HelloApi {

    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final Config config;
    private final Greetings greetings;
    private final RedisCounter counter;
    private final Metrics metrics;
    private final Gson gson = new Gson();

    HelloApi(Config config, Greetings greetings, RedisCounter counter, Metrics metrics) {
        this.config = config;
        this.greetings = greetings;
        this.counter = counter;
        this.metrics = metrics;
    }

    Router router() {
        return new Router(metrics)
                .route("GET", "/", ex -> json(200, new Info("hello-server", config.version(), config.stage())))
                .route("GET", "/greetings", ex -> json(200, greetings.latest()))
                .route("POST", "/greetings", this::addGreeting)
                .route("POST", "/counter", ex -> json(200, new CounterValue(counter.key(), counter.increment())))
                .route("GET", "/healthz", ex -> health())
                .route("GET", "/metrics", ex -> new Response(200, Metrics.CONTENT_TYPE, metrics.render(readings())));
    }

    private record Info(String app, String version, String stage) {
    }

    private record CounterValue(String key, long value) {
    }

    private record NameRequest(String name) {
    }

    private Response addGreeting(HttpExchange exchange) throws IOException, SQLException {
        NameRequest request;
        try {
            request = gson.fromJson(readBody(exchange), NameRequest.class);
        } catch (JsonParseException | IllegalArgumentException e) {
            return error(400, "body must be JSON like {\"name\":\"Ada\"}");
        }
        if (request == null || request.name() == null || request.name().isBlank()) {
            return error(400, "name: must be a non-empty string");
        }
        if (request.name().length() > Greetings.MAX_NAME_LENGTH) {
            return error(400, "name: must be at most " + Greetings.MAX_NAME_LENGTH + " characters");
        }
        return json(201, greetings.add(request.name().strip()));
    }

    private Response health() {
        Map<String, String> failures = new LinkedHashMap<>();
        check("postgres", greetings::ping, failures);
        check("redis", counter::ping, failures);
        if (failures.isEmpty()) {
            return json(200, Map.of("status", "ok"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "fail");
        body.put("failed", failures);
        return json(503, body);
    }

    private Metrics.Readings readings() {
        Map<String, String> failures = new LinkedHashMap<>();
        check("postgres", greetings::ping, failures);
        check("redis", counter::ping, failures);
        boolean postgresUp = !failures.containsKey("postgres");
        return new Metrics.Readings(postgresUp ? greetingCount() : OptionalLong.empty(), postgresUp,
                !failures.containsKey("redis"));
    }

    /** Empty when the table is missing, e.g. before the first migration. */
    private OptionalLong greetingCount() {
        try {
            return OptionalLong.of(greetings.count());
        } catch (SQLException e) {
            return OptionalLong.empty();
        }
    }

    private interface Check {
        void run() throws Exception;
    }

    private static void check(String name, Check check, Map<String, String> failures) {
        try {
            check.run();
        } catch (Exception e) {
            failures.put(name, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static String readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new IllegalArgumentException("body too large");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private Response json(int status, Object value) {
        return Response.json(status, gson.toJson(value));
    }

    private Response error(int status, String message) {
        return json(status, Map.of("error", message));
    }
}
