package dev.slipway.github;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A hand-written GitHub on 127.0.0.1 for tests: keeps the state the tests need (deployments and their statuses, one
 * branch's protection, one environment and its branch policies), records every request, and answers with scripted
 * faults first when a test queued some. A fake rather than a mock: the tests read and change its state like a person
 * would in the GitHub settings.
 */
final class FakeGithub implements AutoCloseable {
    static final String REPO = "acme/shop";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEPLOYMENTS = Pattern.compile("/repos/" + REPO + "/deployments");
    private static final Pattern STATUSES = Pattern.compile("/repos/" + REPO + "/deployments/(\\d+)/statuses");
    private static final Pattern PROTECTION = Pattern.compile("/repos/" + REPO + "/branches/([^/]+)/protection");
    private static final Pattern ENVIRONMENT = Pattern.compile("/repos/" + REPO + "/environments/([^/]+)");
    private static final Pattern POLICIES = Pattern.compile("/repos/" + REPO + "/environments/([^/]+)/deployment-branch-policies");
    private static final Pattern ACTIONS_RUN = Pattern.compile("/repos/" + REPO + "/actions/runs/(\\d+)(/approvals)?");
    /** Enterprise Server serves the API under this prefix; requests are recorded without it. */
    static final String GHES_PREFIX = "/api/v3";

    /** One request as it arrived. */
    record Request(String method, String path, String query, String authorization, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** An answer to a request, as sent: checked against the response schema of its operation. */
    record Answer(String method, String path, int status, String body) {
    }

    /** One review of a workflow run's environment, as GitHub's review history lists it. */
    record Review(String login, String state, String environment) {
    }

    /** An answer given instead of the normal one to the next request whose method and path match. */
    record Fault(String method, String pathRegex, int status, Map<String, String> headers) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Deque<Fault> faults = new ConcurrentLinkedDeque<>();
    private final AtomicLong ids = new AtomicLong(41);
    final List<JsonNode> deployments = new CopyOnWriteArrayList<>();
    final List<JsonNode> statuses = new CopyOnWriteArrayList<>();

    // repository settings, changed by tests and by PUT/POST
    volatile String protectedBranch = "prod";
    volatile boolean requireReviews = true;
    volatile boolean enforceAdmins = true;
    volatile boolean branchProtectionForbidden;
    volatile boolean environmentExists = true;
    volatile List<Long> reviewerIds = List.of(7L);
    volatile boolean preventSelfReview = true;
    volatile String branchPolicy = "custom";
    final List<String> allowedBranches = new CopyOnWriteArrayList<>(List.of("prod"));

    // the GitHub Actions workflow run that runs Slipway; its answers start from the OpenAPI description's examples
    static final long ACTIONS_RUN_ID = 42;
    volatile String actor = "alice";
    volatile String triggeringActor = "alice";
    volatile boolean actionsForbidden;
    volatile boolean reviewHistoryMissing;
    final List<Review> reviews = new CopyOnWriteArrayList<>();
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    /** Requests that came under {@link #GHES_PREFIX}. */
    final AtomicLong enterpriseRequests = new AtomicLong();

    FakeGithub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Forgets the requests so far (those a test checked itself and that {@link GithubRequests} should not). */
    void forgetRequests() {
        requests.clear();
    }

    /** The answers to Actions requests, which are built from the OpenAPI description's examples. */
    List<Answer> actionsAnswers() {
        return List.copyOf(answers);
    }

    List<String> statusStates() {
        return statuses.stream().map(s -> s.path("state").asText()).toList();
    }

    void fault(String method, String pathRegex, int status, Map<String, String> headers, int times) {
        for (int i = 0; i < times; i++) {
            faults.add(new Fault(method, pathRegex, status, headers));
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = ex.getRequestURI().getPath();
            if (path.startsWith(GHES_PREFIX + "/")) {
                enterpriseRequests.incrementAndGet();
                path = path.substring(GHES_PREFIX.length());
            }
            Request r = new Request(ex.getRequestMethod(), path, ex.getRequestURI().getQuery(),
                    ex.getRequestHeaders().getFirst("Authorization"), body);
            requests.add(r);
            Fault f = takeFault(r);
            if (f != null) {
                f.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
                send(ex, f.status(), JSON.createObjectNode().put("message", "scripted " + f.status()));
                return;
            }
            route(ex, r);
        }
    }

    private synchronized Fault takeFault(Request r) {
        for (Fault f : faults) {
            if (f.method().equals(r.method()) && r.path().matches(f.pathRegex())) {
                faults.remove(f);
                return f;
            }
        }
        return null;
    }

    private void route(HttpExchange ex, Request r) throws IOException {
        Matcher m;
        if (r.method().equals("GET") && DEPLOYMENTS.matcher(r.path()).matches()) {
            ArrayNode list = JSON.createArrayNode();
            deployments.stream().filter(d -> r.query() != null && r.query().contains("sha=" + d.path("ref").asText())
                    && r.query().contains("environment=" + d.path("environment").asText())).forEach(list::add);
            send(ex, 200, list);
        } else if (r.method().equals("POST") && DEPLOYMENTS.matcher(r.path()).matches()) {
            ObjectNode d = ((ObjectNode) r.json()).put("id", ids.incrementAndGet());
            deployments.add(d);
            send(ex, 201, d);
        } else if (r.method().equals("POST") && (m = STATUSES.matcher(r.path())).matches()) {
            ObjectNode s = ((ObjectNode) r.json()).put("deployment_id", Long.parseLong(m.group(1)));
            statuses.add(s);
            send(ex, 201, s);
        } else if (r.method().equals("GET") && (m = PROTECTION.matcher(r.path())).matches()) {
            protection(ex, m.group(1));
        } else if (r.method().equals("GET") && (m = ACTIONS_RUN.matcher(r.path())).matches()
                && Long.parseLong(m.group(1)) == ACTIONS_RUN_ID) {
            actions(ex, r, m.group(2) != null);
        } else if ((m = POLICIES.matcher(r.path())).matches()) {
            policies(ex, r);
        } else if ((m = ENVIRONMENT.matcher(r.path())).matches() && m.group(1).equals("production")) {
            environment(ex, r);
        } else {
            send(ex, 404, JSON.createObjectNode().put("message", "Not Found"));
        }
    }

    private void protection(HttpExchange ex, String branch) throws IOException {
        if (branchProtectionForbidden) {
            send(ex, 403, JSON.createObjectNode().put("message", "Resource not accessible by integration"));
        } else if (!branch.equals(protectedBranch)) {
            send(ex, 404, JSON.createObjectNode().put("message", "Branch not protected"));
        } else {
            ObjectNode p = JSON.createObjectNode();
            if (requireReviews) {
                p.putObject("required_pull_request_reviews").put("required_approving_review_count", 1);
            }
            p.putObject("enforce_admins").put("enabled", enforceAdmins);
            send(ex, 200, p);
        }
    }

    private void environment(HttpExchange ex, Request r) throws IOException {
        if (r.method().equals("PUT")) {
            JsonNode b = r.body().isBlank() ? JSON.createObjectNode() : r.json();
            environmentExists = true;
            preventSelfReview = b.path("prevent_self_review").asBoolean(false);
            List<Long> ids = new ArrayList<>();
            b.path("reviewers").forEach(x -> ids.add(x.path("id").asLong()));
            reviewerIds = List.copyOf(ids);
            JsonNode policy = b.path("deployment_branch_policy");
            branchPolicy = policy.isMissingNode() || policy.isNull() ? null
                    : policy.path("custom_branch_policies").asBoolean() ? "custom" : "protected";
        } else if (!environmentExists) {
            send(ex, 404, JSON.createObjectNode().put("message", "Not Found"));
            return;
        }
        send(ex, 200, environmentJson());
    }

    private ObjectNode environmentJson() {
        ObjectNode e = JSON.createObjectNode().put("id", 1).put("node_id", "E1").put("name", "production");
        ArrayNode rules = e.putArray("protection_rules");
        if (!reviewerIds.isEmpty() || preventSelfReview) {
            ObjectNode rule = rules.addObject().put("id", 2).put("node_id", "R2").put("type", "required_reviewers")
                    .put("prevent_self_review", preventSelfReview);
            ArrayNode reviewers = rule.putArray("reviewers");
            reviewerIds.forEach(id -> reviewers.addObject().put("type", "User").putObject("reviewer")
                    .put("id", id).put("login", "reviewer" + id));
        }
        if (branchPolicy == null) {
            e.putNull("deployment_branch_policy");
        } else {
            e.putObject("deployment_branch_policy").put("protected_branches", branchPolicy.equals("protected"))
                    .put("custom_branch_policies", branchPolicy.equals("custom"));
        }
        return e;
    }

    private void policies(HttpExchange ex, Request r) throws IOException {
        if (r.method().equals("POST")) {
            String name = r.json().path("name").asText();
            allowedBranches.add(name);
            send(ex, 200, JSON.createObjectNode().put("id", allowedBranches.size()).put("name", name).put("type", "branch"));
            return;
        }
        ObjectNode list = JSON.createObjectNode().put("total_count", allowedBranches.size());
        ArrayNode items = list.putArray("branch_policies");
        allowedBranches.forEach(b -> items.addObject().put("name", b).put("type", "branch"));
        send(ex, 200, list);
    }

    private void actions(HttpExchange ex, Request r, boolean approvals) throws IOException {
        JsonNode body;
        int status = 200;
        if (actionsForbidden) {
            status = 403;
            body = JSON.createObjectNode().put("message", "Resource not accessible by integration");
        } else if (approvals && reviewHistoryMissing) {
            status = 404;
            body = JSON.createObjectNode().put("message", "Not Found");
        } else if (approvals) {
            ArrayNode list = JSON.createArrayNode();
            reviews.forEach(v -> list.add(review(v)));
            body = list;
        } else {
            ObjectNode run = (ObjectNode) OpenApiExamples.get("workflow-run");
            run.put("id", ACTIONS_RUN_ID);
            ((ObjectNode) run.get("actor")).put("login", actor);
            ((ObjectNode) run.get("triggering_actor")).put("login", triggeringActor);
            body = run;
        }
        answers.add(new Answer(r.method(), r.path(), status, JSON.writeValueAsString(body)));
        send(ex, status, body);
    }

    private static JsonNode review(Review v) {
        ObjectNode review = (ObjectNode) OpenApiExamples.get("environment-approvals-items").get(0);
        review.put("state", v.state());
        ((ObjectNode) review.get("user")).put("login", v.login());
        ((ObjectNode) review.get("environments").get(0)).put("name", v.environment());
        return review;
    }

    private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
