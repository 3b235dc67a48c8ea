package dev.slipway.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.core.WorkDir;
import dev.slipway.core.engine.Backoff;
import dev.slipway.core.spec.LocalSpec;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stage's reverse proxy: one Caddy process per stage (so that a reload, a crash or a misconfiguration of one stage
 * never touches another), started detached by Slipway when it is not running and driven through its admin API on
 * {@code 127.0.0.1:local.proxy-admin}. It listens on {@code local.port} and forwards to the replicas' internal ports.
 *
 * <p>Requests wait for an upstream instead of failing: {@code load_balancing.try_duration} (the migration timeout plus
 * the health timeout) with a short {@code try_interval}, and no health checks of Caddy's own, so while no upstream
 * accepts connections (a stop-first gap) a request is held and flows as soon as one does. Caddy applies every config
 * change as a reload that aborts requests held by the old config, so nothing changes its config during a gap: stop-first
 * points the proxy at the new replicas' ports before it stops the old ones, and compensation brings the previous
 * release back on the ports the proxy points at.
 *
 * <p>Its files live in {@code .slipway/proxy/<stage>/} (0700/0600): {@code caddy.json} (the config it started with),
 * {@code caddy.pid}, {@code caddy.log}, {@code started-by} (the run key that started it) and Caddy's own data.
 */
final class CaddyProxy {
    static final Duration TRY_INTERVAL = Duration.ofMillis(250);
    private static final Backoff POLL = new Backoff(Duration.ofMillis(50), 1.5, Duration.ofSeconds(1), Integer.MAX_VALUE);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final StepContext ctx;
    private final LocalSpec local;
    private final Path dir;
    private final String id;

    CaddyProxy(StepContext ctx) {
        this.ctx = ctx;
        this.local = LocalSettings.local(ctx);
        this.dir = dir(ctx);
        this.id = "slipway-" + ctx.spec().app() + "-" + ctx.stage().name() + "-upstreams";
    }

    static Path dir(StepContext ctx) {
        return ctx.spec().baseDir().resolve(WorkDir.NAME).resolve("proxy").resolve(ctx.stage().name()).normalize();
    }

    /** How long a request waits for an upstream: through migrations and the new release's start. */
    static Duration hold(StepContext ctx) {
        return ctx.spec().migrations().timeout().plus(ctx.spec().health().timeout());
    }

    URI admin(String path) {
        return URI.create("http://127.0.0.1:" + local.proxyAdmin() + path);
    }

    /**
     * Whether the stage's proxy is running: empty when nothing answers on the admin port, else its upstream ports.
     * Refuses when something else answers there (another Caddy, another stage's proxy): Slipway never drives a proxy it
     * cannot prove is the stage's.
     */
    Optional<List<Integer>> upstreams() {
        HttpResponse<String> r;
        try {
            r = call(HttpRequest.newBuilder(admin("/id/" + id + "/upstreams")).GET());
        } catch (ConnectException e) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw TargetException.permanent("127.0.0.1:" + local.proxyAdmin() + " (local.proxy-admin of stage " + ctx.stage().name()
                    + ") answers, but not as this stage's proxy (no config object " + id + ": HTTP " + r.statusCode()
                    + "); stop whatever listens there or set another local.proxy-admin");
        }
        return Optional.of(ports(read(r.body())));
    }

    /**
     * Starts the proxy with {@code upstreams} unless it runs; a running proxy keeps its upstreams, and gets the current
     * settings (port, hold time) when they changed. Returns the upstreams it now has.
     */
    List<Integer> ensure(List<Integer> upstreams, Instant deadline) {
        Optional<List<Integer>> running = upstreams();
        if (running.isPresent()) {
            ObjectNode wanted = config(running.get());
            JsonNode actual = read(send(HttpRequest.newBuilder(admin("/config/")).GET(), "read the proxy's config").body());
            if (!wanted.equals(actual)) {
                send(post("/load", wanted), "reload the proxy's settings");
                ctx.log("proxy of stage " + ctx.stage().name() + ": settings changed, reloaded");
            }
            return running.get();
        }
        start(upstreams, deadline);
        return upstreams;
    }

    /** Points the proxy at {@code ports} in one admin call (Caddy swaps its config atomically); nothing when it already is. */
    void switchTo(List<Integer> ports) {
        List<Integer> now = upstreams().orElseThrow(() -> TargetException.transientFailure("the proxy of stage "
                + ctx.stage().name() + " is not running (nothing answers on 127.0.0.1:" + local.proxyAdmin() + "); see "
                + dir.resolve("caddy.log"), null));
        if (now.equals(ports)) {
            return;
        }
        HttpRequest.Builder patch = HttpRequest.newBuilder(admin("/id/" + id + "/upstreams"))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(upstreamsJson(ports).toString()));
        send(patch, "switch the proxy's upstreams");
        ctx.log("proxy of stage " + ctx.stage().name() + " (port " + local.port() + "): upstreams " + describe(now) + " -> " + describe(ports));
    }

    private void start(List<Integer> upstreams, Instant deadline) {
        Path config = dir.resolve("caddy.json");
        Path pid = dir.resolve("caddy.pid");
        Path log = dir.resolve("caddy.log");
        Process p;
        try {
            WorkDir.claim(dir);
            for (Path f : List.of(config, pid, log, dir.resolve("started-by"))) {
                WorkDir.createPrivateFile(f);
            }
            Files.writeString(config, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(config(upstreams)));
            Files.writeString(dir.resolve("started-by"), ctx.runKey() + "\n");
            // setsid: its own session, so that the proxy outlives the CLI and a Ctrl-C in its terminal.
            ProcessBuilder pb = new ProcessBuilder("setsid", "caddy", "run", "--config", config.toString(), "--pidfile", pid.toString())
                    .redirectInput(new File("/dev/null"))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().put("HOME", dir.toString());
            pb.environment().put("XDG_DATA_HOME", dir.resolve("data").toString());
            pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
            p = pb.start();
        } catch (IOException e) {
            throw TargetException.permanent("cannot start the proxy of stage " + ctx.stage().name() + " (caddy run in " + dir + "): "
                    + e.getMessage() + "; is caddy installed (apt-get install caddy)?");
        }
        ctx.log("started the proxy of stage " + ctx.stage().name() + ": caddy on port " + local.port() + ", admin 127.0.0.1:"
                + local.proxyAdmin() + ", upstreams " + describe(upstreams) + ", holding requests up to " + hold(ctx).toSeconds()
                + " s (files in " + dir + ")");
        for (int attempt = 1; ; attempt++) {
            if (upstreams().isPresent()) {
                return;
            }
            if (!p.isAlive() && p.exitValue() != 0) {
                throw TargetException.permanent("the proxy of stage " + ctx.stage().name() + " exited with code " + p.exitValue()
                        + " instead of serving port " + local.port() + tail(log) + "\nIs the port taken (by replicas deployed without "
                        + "a proxy? then deploy once with strategy: stop-first)?");
            }
            if (ctx.clock().instant().isAfter(deadline)) {
                throw TargetException.permanent("the proxy of stage " + ctx.stage().name() + " did not answer on 127.0.0.1:"
                        + local.proxyAdmin() + " in time" + tail(log));
            }
            pause(POLL.delayAfter(attempt));
        }
    }

    /** The whole config: admin on loopback, metrics on, one server on the stage's port holding requests for upstreams. */
    ObjectNode config(List<Integer> upstreams) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode admin = root.putObject("admin");
        admin.put("listen", "127.0.0.1:" + local.proxyAdmin());
        admin.putObject("config").put("persist", false);
        ObjectNode server = root.putObject("apps").putObject("http").putObject("servers").putObject("slipway");
        server.putArray("listen").add(":" + local.port());
        server.putObject("automatic_https").put("disable", true);
        server.putObject("metrics");
        ObjectNode proxy = server.putArray("routes").addObject().putArray("handle").addObject();
        proxy.put("@id", id);
        proxy.put("handler", "reverse_proxy");
        proxy.set("upstreams", upstreamsJson(upstreams));
        ObjectNode lb = proxy.putObject("load_balancing");
        lb.put("try_duration", hold(ctx).toMillis() + "ms");
        lb.put("try_interval", TRY_INTERVAL.toMillis() + "ms");
        return root;
    }

    private static ArrayNode upstreamsJson(List<Integer> ports) {
        ArrayNode a = JSON.createArrayNode();
        ports.forEach(p -> a.addObject().put("dial", "127.0.0.1:" + p));
        return a;
    }

    private static List<Integer> ports(JsonNode upstreams) {
        List<Integer> ports = new ArrayList<>();
        for (JsonNode u : upstreams) {
            String dial = u.path("dial").asText();
            ports.add(Integer.parseInt(dial.substring(dial.lastIndexOf(':') + 1)));
        }
        return ports;
    }

    static String describe(List<Integer> ports) {
        return ports.isEmpty() ? "none" : String.join(",", ports.stream().map(String::valueOf).toList());
    }

    private HttpRequest.Builder post(String path, JsonNode body) {
        return HttpRequest.newBuilder(admin(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String what) {
        HttpResponse<String> r;
        try {
            r = call(request);
        } catch (ConnectException e) {
            throw TargetException.transientFailure("cannot " + what + " of stage " + ctx.stage().name() + ": nothing answers on 127.0.0.1:"
                    + local.proxyAdmin() + "; see " + dir.resolve("caddy.log"), e);
        }
        if (r.statusCode() / 100 != 2) {
            throw TargetException.permanent("cannot " + what + " of stage " + ctx.stage().name() + ": HTTP " + r.statusCode() + " "
                    + r.body().strip());
        }
        return r;
    }

    private HttpResponse<String> call(HttpRequest.Builder request) throws ConnectException {
        try {
            return HTTP.send(request.timeout(CALL_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw e;
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException ce) {
                throw ce;
            }
            throw TargetException.transientFailure("the proxy's admin API on 127.0.0.1:" + local.proxyAdmin() + " failed: " + e, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TargetException.permanent("talking to the proxy of stage " + ctx.stage().name() + " was interrupted");
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw TargetException.permanent("the proxy's admin API answered with something other than JSON: " + body);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return Tail.describe(lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TargetException.permanent("waiting for the proxy was interrupted");
        }
    }
}
