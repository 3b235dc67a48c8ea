package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, acceptance 1 and 2: the example app deployed by {@code slipway deploy} to two local stages, a real
 * Prometheus (Debian 2.42) started with what {@code slipway init observability} wrote, a real Pushgateway. Prometheus
 * finds every replica through the file_sd files with the right stage and version, forgets the old replica after a
 * redeploy and after a rollback, and every PromQL expression of the generated rules and dashboards returns a series
 * for each stage (the rollbacks make a failed change, without which the DORA time to restore has none).
 * Ports 29310-29371 (Prometheus 29370, Pushgateway 29371), databases obs_*.
 */
class ObservabilityIT {
    private static final String APP = "obsit";
    private static final List<String> STAGES = List.of("staging", "review");
    private static final int PROMETHEUS_PORT = 29370;
    private static final int GATEWAY_PORT = 29371;
    private static final Path REPO = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ALERT = Pattern.compile("(?s)(.*?)\\s*(==|!=|>=|<=|>|<)\\s*[0-9.]+");

    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();
    private final List<String> commits = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Process p : started) {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
        }
        podman("rm", "-f", "--filter", "label=slipway.app=" + APP);
        for (String c : commits) {
            podman("rmi", "-f", APP + ":" + c);
        }
    }

    @Test
    void initObservability_twoStagesDeployedAndRedeployed_prometheusSeesEveryReplicaAndEveryGeneratedQueryHasSeries() throws Exception {
        requireTools();
        assertFree(GATEWAY_PORT);
        start(dir.resolve("gateway.log"), "prometheus-pushgateway", "--web.listen-address=127.0.0.1:" + GATEWAY_PORT,
                "--persistence.file="); // Debian's default loads and saves every test's groups in /var/lib/prometheus
        awaitOk("http://127.0.0.1:" + GATEWAY_PORT + "/-/ready");
        project();
        String c1 = commit("first");
        together(STAGES.stream().map(stage -> List.of("deploy", stage, "--commit", c1)).toList()); // a lease per stage

        SlipwayProcess init = SlipwayProcess.start(dir, Map.of(), "init", "observability", "--scrape-interval", "1s",
                "--prometheus-url", "http://127.0.0.1:" + PROMETHEUS_PORT);
        assertThat(init.waitFor(60)).as(init.output()).isZero();
        Path config = dir.resolve("observability/prometheus/prometheus.yml");
        Path rules = dir.resolve("observability/prometheus/rules/slipway-rules.yml");
        assertThat(run("promtool", "check", "config", config.toString())).contains("SUCCESS");
        assertThat(run("promtool", "check", "rules", rules.toString())).contains("SUCCESS");
        assertFree(PROMETHEUS_PORT);
        start(dir.resolve("prometheus.log"), "prometheus", "--config.file=" + config, "--web.listen-address=127.0.0.1:" + PROMETHEUS_PORT,
                "--storage.tsdb.path=" + dir.resolve("tsdb"));
        awaitOk("http://127.0.0.1:" + PROMETHEUS_PORT + "/-/ready");

        for (String stage : STAGES) {
            awaitUp(stage, c1);
            awaitSeries("slipway_runs_total{app=\"" + APP + "\", stage=\"" + stage + "\"}");
        }

        String c2 = commit("second");
        deploy("review", c2);
        awaitUp("review", c2);
        awaitUp("staging", c1);

        // c2 turns out bad on both stages and is rolled back: a failed change and its restore, so that the DORA time
        // to restore (defined only after a failed change) has a series too, and each stage goes back to c1's replicas
        deploy("staging", c2);
        awaitUp("staging", c2);
        together(STAGES.stream().map(stage -> List.of("rollback", stage)).toList());
        for (String stage : STAGES) {
            awaitUp(stage, c1);
        }

        traffic();
        Map<String, List<String>> queries = queries(rules);
        Awaitility.await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            List<String> empty = new ArrayList<>();
            for (Map.Entry<String, List<String>> q : queries.entrySet()) {
                for (String stage : STAGES) {
                    String expr = q.getKey().replace("$stage", stage);
                    if (query(expr).findValuesAsText("stage").stream().noneMatch(stage::equals)
                            && !(expr.contains("stage=\"" + stage + "\"") && !query(expr).isEmpty())) {
                        empty.add(stage + " <- " + q.getValue() + ": " + expr);
                    }
                }
            }
            assertThat(empty).as("expressions without a series for a stage").isEmpty();
        });
        System.out.println("checked " + queries.size() + " expressions for " + STAGES);
    }

    /** Every expression, by where it comes from; grafana's interval variables made concrete, $stage left for each stage. */
    private Map<String, List<String>> queries(Path rules) throws IOException {
        Map<String, List<String>> exprs = new LinkedHashMap<>();
        JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(rules.toFile());
        for (JsonNode rule : tree.findValues("rules").stream().flatMap(r -> stream(r)).toList()) {
            String expr = rule.get("expr").asText();
            if (rule.has("alert")) {
                Matcher m = ALERT.matcher(expr);
                assertThat(m.matches()).as("alert %s is <signal> <op> <threshold>", rule.get("alert").asText()).isTrue();
                expr = m.group(1);
            }
            add(exprs, expr, "rule " + (rule.has("alert") ? rule.get("alert") : rule.get("record")).asText());
        }
        try (Stream<Path> files = Files.list(dir.resolve("observability/grafana/dashboards"))) {
            for (Path f : files.sorted().toList()) {
                JsonNode d = JSON.readTree(f.toFile());
                d.at("/annotations/list").forEach(a -> add(exprs, grafana(a.get("expr").asText()), f.getFileName() + " annotation"));
                d.get("panels").forEach(p -> p.get("targets").forEach(t -> add(exprs, grafana(t.get("expr").asText()),
                        f.getFileName() + " " + p.get("title").asText())));
            }
        }
        assertThat(exprs.size()).isGreaterThan(15);
        return exprs;
    }

    private static void add(Map<String, List<String>> exprs, String expr, String where) {
        exprs.computeIfAbsent(expr, e -> new ArrayList<>()).add(where);
    }

    private static String grafana(String expr) {
        return expr.replace("$__rate_interval", "1m").replace("$__interval", "1m").replace("$__range", "1h");
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        List<JsonNode> l = new ArrayList<>();
        array.forEach(l::add);
        return l.stream();
    }

    /** Exactly one replica (the stage has one) is scraped, up, labelled with the stage and {@code version}. */
    private void awaitUp(String stage, String version) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode result = query("up{job=\"" + APP + "\", stage=\"" + stage + "\"}");
            assertThat(result).as(result.toString()).hasSize(1);
            assertThat(result.get(0).at("/metric/version").asText()).isEqualTo(version);
            assertThat(result.get(0).at("/metric/app").asText()).isEqualTo(APP);
            assertThat(result.get(0).at("/metric/replica").asText()).isEqualTo("0");
            assertThat(result.get(0).at("/value/1").asText()).isEqualTo("1");
        });
    }

    private void awaitSeries(String expr) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> !query(expr).isEmpty());
    }

    private JsonNode query(String expr) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + PROMETHEUS_PORT + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("status").asText()).as(expr + " -> " + r.body()).isEqualTo("success");
        return body.at("/data/result");
    }

    private void deploy(String stage, String commit) throws Exception {
        SlipwayProcess p = SlipwayProcess.start(dir, Map.of(), "deploy", stage, "--commit", commit);
        assertThat(p.waitFor(180)).as(p.output()).isZero();
    }

    /** Runs the commands as concurrent Slipway processes (each on its own stage) and expects every one to exit 0. */
    private void together(List<List<String>> commands) throws Exception {
        List<SlipwayProcess> running = new ArrayList<>();
        for (List<String> args : commands) {
            running.add(SlipwayProcess.start(dir, Map.of(), args.toArray(String[]::new)));
        }
        for (SlipwayProcess p : running) {
            assertThat(p.waitFor(180)).as(p.output()).isZero();
        }
    }

    /** A few requests to every replica, so the request series exist. */
    private void traffic() throws Exception {
        for (String stage : STAGES) {
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(stage) + "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
            }
        }
    }

    private static int port(String stage) {
        return 29310 + 10 * STAGES.indexOf(stage);
    }

    private void project() throws Exception {
        Path jar = REPO.resolve("examples/hello-server/target/hello-server.jar");
        if (!Files.exists(jar)) {
            run("mvn", "-q", "-o", "-B", "-f", REPO.resolve("examples/hello-server/pom.xml").toString(), "package", "-DskipTests");
        }
        Files.createDirectories(dir.resolve("target"));
        Files.createDirectories(dir.resolve("migrations"));
        Files.copy(jar, dir.resolve("target/hello-server.jar"));
        Files.copy(REPO.resolve("examples/hello-server/Containerfile"), dir.resolve("Containerfile"));
        Files.copy(REPO.resolve("examples/hello-server/.dockerignore"), dir.resolve(".dockerignore"));
        Files.writeString(dir.resolve("migrations/.keep"), "");
        StringBuilder stages = new StringBuilder();
        for (String stage : STAGES) {
            String db = "obs_" + stage;
            run("psql", "-h", "127.0.0.1", "-p", env("SLIPWAY_PG_PORT", "55432"), "-U", "postgres", "-c", "drop database if exists " + db + " with (force)");
            run("psql", "-h", "127.0.0.1", "-p", env("SLIPWAY_PG_PORT", "55432"), "-U", "postgres", "-c", "create database " + db);
            stages.append("""
                      %s:
                        branch: %s
                        target: local
                        replicas: 1
                        database: {url: "jdbc:postgresql://127.0.0.1:%s/%s", user: postgres}
                        redis: {url: "redis://127.0.0.1:%s/0"}
                        local: {port: %d, stop-grace: 2s, snapshot-dir: .slipway/snapshots}
                    """.formatted(stage, stage.equals("staging") ? "main" : stage, env("SLIPWAY_PG_PORT", "55432"), db,
                    env("SLIPWAY_REDIS_PORT", "16379"), port(stage)));
        }
        Files.writeString(dir.resolve("slipway.yml"), """
                app: %s
                build:
                  context: .
                  dockerfile: Containerfile
                  args: {BASE_IMAGE: "%s"}
                migrations:
                  command: [java, -jar, /app/hello-server.jar, migrate]
                  timeout: 60s
                health: {path: /healthz, port: 8080, timeout: 30s}
                timeouts: {build: 3m, snapshot: 1m, stop: 1m, deploy: 1m, compensate: 90s}
                metrics: {pushgateway: "http://127.0.0.1:%d", file-sd: targets}
                stages:
                """.formatted(APP, env("SLIPWAY_JRE_IMAGE", "localhost/slipway-jre:17"), GATEWAY_PORT) + stages);
        git("init", "-q", "-b", "main");
    }

    private String commit(String message) throws Exception {
        Files.writeString(dir.resolve("README"), message + "\n");
        git("add", "-A", "-f", "Containerfile", ".dockerignore", "slipway.yml", "target/hello-server.jar", "migrations/.keep", "README");
        git("commit", "-q", "-m", message);
        String sha = git("rev-parse", "HEAD").strip();
        commits.add(sha);
        return sha;
    }

    private void requireTools() {
        for (String tool : List.of("prometheus", "promtool", "prometheus-pushgateway", "podman", "psql")) {
            boolean present = Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
            if ("true".equals(System.getenv("CI"))) {
                assertThat(present).as(tool + " is installed (scripts/lib/local-env.sh, SLIPWAY_WITH_TEST_TOOLS)").isTrue();
            }
            Assumptions.assumeTrue(present, tool + " is not installed; scripts/lib/local-env.sh installs it");
        }
        boolean engine;
        try {
            podman("image", "exists", env("SLIPWAY_JRE_IMAGE", "localhost/slipway-jre:17"));
            engine = true;
        } catch (Exception e) {
            engine = false;
        }
        if ("true".equals(System.getenv("CI"))) {
            assertThat(engine).as("podman with the JRE image (scripts/env-up.sh)").isTrue();
        }
        Assumptions.assumeTrue(engine, "no podman with the JRE image; run scripts/env-up.sh");
    }

    private void start(Path log, String... cmd) throws IOException {
        started.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start());
    }

    private static void assertFree(int port) throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
        } catch (java.net.BindException e) {
            throw new IllegalStateException("port " + port + " is taken by another process; this test owns 29370-29371", e);
        }
    }

    /** Until {@code url} answers 200, from the process started last (not another one on its port). */
    private void awaitOk(String url) {
        Process mine = started.get(started.size() - 1);
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().pollInterval(Duration.ofMillis(200)).until(() ->
                HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        assertThat(mine.isAlive()).as(mine.info().commandLine().orElse("") + " exited: is its port taken?").isTrue();
    }

    private String git(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@localhost"));
        cmd.addAll(List.of(args));
        return run(cmd.toArray(String[]::new));
    }

    private void podman(String... args) throws Exception {
        String host = env("DOCKER_HOST", "unix://" + System.getProperty("user.home") + "/.slipway-env/podman.sock");
        List<String> cmd = new ArrayList<>(List.of("podman", "--url", host));
        cmd.addAll(List.of(args));
        run(cmd.toArray(String[]::new));
    }

    private String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(List.of(cmd) + " failed: " + out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
