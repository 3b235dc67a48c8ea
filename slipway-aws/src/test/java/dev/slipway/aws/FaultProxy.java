package dev.slipway.aws;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A fault-injecting HTTP proxy in front of moto_server: what moto cannot show (a migration exiting 1, a deployment
 * circuit breaker, a rollout that never completes, throttling, an unhealthy load-balancer target) is produced here by rewriting moto's real answers or
 * answering in AWS's error format instead of it. Every call's operation name is recorded.
 */
final class FaultProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "accept-encoding", "transfer-encoding", "keep-alive");

    /** Changes a JSON answer of moto; gets the request too. Returns the answer to send. */
    @FunctionalInterface
    interface Rewrite {
        ObjectNode apply(ObjectNode request, ObjectNode response);
    }

    /** Changes a query-protocol (XML) answer of moto, as text (ELBv2 and RDS speak XML, not JSON). */
    @FunctionalInterface
    interface XmlRewrite {
        String apply(String request, String response);
    }

    /** Answers a JSON call with AWS's error {@code type} instead of forwarding it, when {@code when} accepts the request. */
    private record Refusal(java.util.function.Predicate<ObjectNode> when, String type, java.util.function.Function<ObjectNode, String> message) {
    }

    /** A call that went through, as the after-hooks see it. */
    record Call(String operation, ObjectNode request, ObjectNode response) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final HttpClient client = HttpClient.newHttpClient();
    private final String upstream;
    private final List<String> operations = new CopyOnWriteArrayList<>();
    private final Map<String, List<Rewrite>> rewrites = new ConcurrentHashMap<>();
    private final Map<String, List<XmlRewrite>> xmlRewrites = new ConcurrentHashMap<>();
    private final Map<String, List<Consumer<Call>>> hooks = new ConcurrentHashMap<>();
    private final Map<String, List<Refusal>> refusals = new ConcurrentHashMap<>();
    private final Random random = new Random(42);
    private final AtomicInteger throttled = new AtomicInteger();
    private volatile double throttleRate;

    private FaultProxy(String upstream) throws IOException {
        this.upstream = upstream;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    static FaultProxy start(String upstream) {
        try {
            return new FaultProxy(upstream);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Answers this share of all calls (0..1) with AWS's throttling error instead of forwarding them. */
    void throttle(double rate) {
        this.throttleRate = rate;
    }

    int throttledCalls() {
        return throttled.get();
    }

    void rewrite(String operation, Rewrite rewrite) {
        rewrites.computeIfAbsent(operation, k -> new CopyOnWriteArrayList<>()).add(rewrite);
    }

    void rewriteXml(String operation, XmlRewrite rewrite) {
        xmlRewrites.computeIfAbsent(operation, k -> new CopyOnWriteArrayList<>()).add(rewrite);
    }

    /**
     * ECR with tag immutability: a PutImage of a tag that a PutImage through this proxy already set is refused with
     * {@code ImageTagAlreadyExistsException}, as ECR refuses it (moto answers ImageAlreadyExistsException instead, and
     * only for repositories created IMMUTABLE).
     */
    void immutableImageTags() {
        Set<String> tagged = ConcurrentHashMap.newKeySet();
        java.util.function.Function<ObjectNode, String> key = r -> r.path("repositoryName").asText() + ":" + r.path("imageTag").asText();
        refuse("PutImage", r -> tagged.contains(key.apply(r)), "ImageTagAlreadyExistsException", r -> "The image tag '"
                + r.path("imageTag").asText() + "' already exists in the '" + r.path("repositoryName").asText()
                + "' repository and cannot be overwritten because the repository is immutable.");
        after("PutImage", call -> tagged.add(key.apply(call.request())));
    }

    /** Answers JSON calls of {@code operation} that {@code when} accepts with AWS's error {@code type}, unforwarded. */
    void refuse(String operation, java.util.function.Predicate<ObjectNode> when, String type,
                java.util.function.Function<ObjectNode, String> message) {
        refusals.computeIfAbsent(operation, k -> new CopyOnWriteArrayList<>()).add(new Refusal(when, type, message));
    }

    void after(String operation, Consumer<Call> hook) {
        hooks.computeIfAbsent(operation, k -> new CopyOnWriteArrayList<>()).add(hook);
    }

    /** Operation names of every call received, in order (throttled ones included). */
    List<String> operations() {
        return List.copyOf(operations);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            String operation = operation(target, body);
            operations.add(operation);
            if (shouldThrottle()) {
                throttled.incrementAndGet();
                throttle(exchange, target != null);
                return;
            }
            if (target != null && refuse(exchange, operation, body)) {
                return;
            }
            HttpResponse<byte[]> response = forward(exchange, body);
            byte[] out = response.body();
            boolean json = target != null && response.statusCode() == 200;
            if (json && (rewrites.containsKey(operation) || hooks.containsKey(operation))) {
                ObjectNode request = (ObjectNode) JSON.readTree(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
                ObjectNode answer = (ObjectNode) JSON.readTree(out);
                for (Rewrite r : rewrites.getOrDefault(operation, List.of())) {
                    answer = r.apply(request, answer);
                }
                out = JSON.writeValueAsBytes(answer);
                Call call = new Call(operation, request, answer);
                hooks.getOrDefault(operation, List.of()).forEach(h -> h.accept(call));
            } else if (target == null && response.statusCode() == 200 && xmlRewrites.containsKey(operation)) {
                String answer = new String(out, StandardCharsets.UTF_8);
                for (XmlRewrite r : xmlRewrites.get(operation)) {
                    answer = r.apply(new String(body, StandardCharsets.UTF_8), answer);
                }
                out = answer.getBytes(StandardCharsets.UTF_8);
            }
            response.headers().map().forEach((k, v) -> {
                if (!HOP_HEADERS.contains(k.toLowerCase(java.util.Locale.ROOT)) && !k.equalsIgnoreCase("x-amz-crc32")
                        && !k.equalsIgnoreCase("date") && !k.equalsIgnoreCase("server") && !k.startsWith(":")) {
                    exchange.getResponseHeaders().put(k, v);
                }
            });
            send(exchange, response.statusCode(), out);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            byte[] msg = ("fault proxy: " + e).getBytes(StandardCharsets.UTF_8);
            send(exchange, 502, msg);
        }
    }

    private synchronized boolean shouldThrottle() {
        return throttleRate > 0 && random.nextDouble() < throttleRate;
    }

    private HttpResponse<byte[]> forward(HttpExchange exchange, byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(upstream + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((k, values) -> {
            if (!HOP_HEADERS.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                values.forEach(v -> b.header(k, v));
            }
        });
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private boolean refuse(HttpExchange exchange, String operation, byte[] body) throws IOException {
        ObjectNode request = (ObjectNode) JSON.readTree(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
        for (Refusal r : refusals.getOrDefault(operation, List.of())) {
            if (r.when().test(request)) {
                exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
                ObjectNode error = JSON.createObjectNode().put("__type", r.type()).put("message", r.message().apply(request));
                send(exchange, 400, JSON.writeValueAsBytes(error));
                return true;
            }
        }
        return false;
    }

    /** AWS's throttling answer in the protocol of the call: JSON for ECS/ECR/Logs, query XML for RDS. */
    private static void throttle(HttpExchange exchange, boolean json) throws IOException {
        if (json) {
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            send(exchange, 400, "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}".getBytes(StandardCharsets.UTF_8));
        } else {
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            send(exchange, 400, ("<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded"
                    + "</Message></Error><RequestId>fault-proxy</RequestId></ErrorResponse>").getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
        }
    }

    private static String operation(String target, byte[] body) {
        if (target != null) {
            return target.substring(target.lastIndexOf('.') + 1);
        }
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            if (pair.startsWith("Action=")) {
                return URLDecoder.decode(pair.substring("Action=".length()), StandardCharsets.UTF_8);
            }
        }
        return "?";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
