package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.sun.net.httpserver.HttpServer;
import dev.slipway.github.SlipwayAction;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the steps of the repository's action.yml the way the Actions runner runs a composite action, against the
 * packaged jar served as a release from a local HTTP server. The {@code uses:} steps (setup-java, cache) are GitHub's
 * own and are skipped: this JVM's java is on the PATH. There is no schema for action.yml in ../shared, so its
 * structure is checked here.
 */
class ActionIT {
    static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
    static final Path ROOT = BASEDIR.toAbsolutePath().getParent();
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");

    @TempDir
    Path tmp;
    private HttpServer server;
    private final String version = System.getProperty("slipway.version");
    private Path releases;
    private Path marker;

    @BeforeEach
    void serveRelease() throws Exception {
        assertThat(version).as("failsafe passes the project version").isNotBlank();
        releases = Files.createDirectories(tmp.resolve("releases/v" + version));
        Path jar = releases.resolve("slipway-" + version + ".jar");
        Files.copy(CliClassPath.jarOr(BASEDIR.resolve("target/slipway.jar")), jar);
        Files.writeString(releases.resolve(jar.getFileName() + ".sha256"), sha256(jar) + "  " + jar.getFileName() + "\n");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/slipway/releases/download/", exchange -> {
            Path file = tmp.resolve("releases").resolve(exchange.getRequestURI().getPath()
                    .substring("/slipway/releases/download/".length())).normalize();
            boolean found = file.startsWith(tmp.resolve("releases")) && Files.isRegularFile(file);
            byte[] body = found ? Files.readAllBytes(file) : "not found".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(found ? 200 : 404, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        // a java on the PATH that leaves a marker, so a test can tell whether anything ran the jar
        marker = tmp.resolve("java-ran");
        Path bin = Files.createDirectories(tmp.resolve("marker-bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\ntouch '" + marker + "'\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void actionYml_isACompositeActionWhoseRunStepsNameTheirShellAndTakeInputsOnlyThroughEnv() {
        JsonNode action = actionYml();
        assertThat(action.path("runs").path("using").asText()).isEqualTo("composite");
        assertThat(action.path("inputs").path("version").path("required").asBoolean()).isTrue();
        assertThat(action.path("inputs").path("base-url").path("default").asText())
                .isEqualTo("https://github.com/" + SlipwayAction.REPOSITORY + "/releases/download");
        assertThat(action.path("runs").path("steps")).allSatisfy(step -> {
            if (step.has("run")) {
                assertThat(step.path("shell").asText()).isEqualTo("bash");
                assertThat(step.path("run").asText()).as("inputs reach scripts through env, never pasted into code")
                        .doesNotContain("${{");
            } else {
                assertThat(step.path("uses").asText()).matches("actions/(setup-java|cache)@v\\d+");
            }
        });
    }

    @Test
    void steps_publishedChecksumMatches_installTheJarAndRunSlipway() throws Exception {
        List<StepResult> steps = runAction(Map.of("version", version, "base-url", baseUrl(), "args", "--version"));

        assertThat(steps).extracting(StepResult::name).containsExactly("Install Slipway", "Run Slipway");
        assertThat(steps).allSatisfy(s -> assertThat(s.code()).as(s.output()).isZero());
        assertThat(steps.get(1).output()).startsWith("slipway " + version + " (commit ");
        assertThat(marker).exists();
        assertThat(Files.readString(tmp.resolve("github-output"))).contains("jar=" + toolCache().resolve("slipway-" + version + ".jar"));
    }

    @Test
    void steps_tamperedChecksum_failBeforeAnythingRuns() throws Exception {
        Path sums = releases.resolve("slipway-" + version + ".jar.sha256");
        String published = Files.readString(sums);
        Files.writeString(sums, (published.charAt(0) == '0' ? "1" : "0") + published.substring(1));

        List<StepResult> steps = runAction(Map.of("version", version, "base-url", baseUrl(), "args", "--version"));

        assertThat(steps).extracting(StepResult::name).containsExactly("Install Slipway");
        assertThat(steps.get(0).code()).isNotZero();
        assertThat(steps.get(0).output()).contains("checksum mismatch for " + baseUrl() + "/v" + version + "/slipway-" + version + ".jar");
        assertThat(marker).doesNotExist();
        assertThat(toolCache().resolve("slipway-" + version + ".jar")).doesNotExist();
        assertThat(tmp.resolve("github-path")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyFile());
    }

    @Test
    void steps_cachedJarThatIsNotThePublishedOne_isReplacedBeforeItRuns() throws Exception {
        Path cached = Files.createDirectories(toolCache()).resolve("slipway-" + version + ".jar");
        Files.writeString(cached, "not slipway");

        List<StepResult> steps = runAction(Map.of("version", version, "base-url", baseUrl(), "args", "--version"));

        assertThat(steps).allSatisfy(s -> assertThat(s.code()).as(s.output()).isZero());
        assertThat(sha256(cached)).isEqualTo(sha256(releases.resolve("slipway-" + version + ".jar")));
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/slipway/releases/download";
    }

    private Path toolCache() {
        return tmp.resolve("tool-cache/slipway/" + version);
    }

    record StepResult(String name, int code, String output) {
    }

    /** Runs action.yml's run steps in order with the runner's bash flags, stopping at the first that fails. */
    private List<StepResult> runAction(Map<String, String> given) throws Exception {
        JsonNode action = actionYml();
        Map<String, String> context = new LinkedHashMap<>();
        context.put("github.sha", "0123456789abcdef0123456789abcdef01234567");
        context.put("runner.tool_cache", tmp.resolve("tool-cache").toString());
        action.path("inputs").properties().forEach(e -> context.put("inputs." + e.getKey(), e.getValue().path("default").asText("")));
        given.forEach((k, v) -> context.put("inputs." + k, v));
        context.replaceAll((k, v) -> substitute(v, context));
        Path githubPath = tmp.resolve("github-path");
        List<StepResult> results = new ArrayList<>();
        for (JsonNode step : action.path("runs").path("steps")) {
            if (!step.has("run")) {
                continue;
            }
            Map<String, String> env = new LinkedHashMap<>();
            step.path("env").properties().forEach(e -> env.put(e.getKey(), substitute(e.getValue().asText(), context)));
            env.put("GITHUB_ACTION_PATH", ROOT.toString());
            env.put("GITHUB_OUTPUT", tmp.resolve("github-output").toString());
            env.put("GITHUB_PATH", githubPath.toString());
            // as the runner does: directories added later come first
            List<String> path = new ArrayList<>(Files.exists(githubPath) ? Files.readAllLines(githubPath) : List.of());
            Collections.reverse(path);
            path.add(tmp.resolve("marker-bin").toString());
            path.add(System.getenv("PATH"));
            env.put("PATH", String.join(":", path));
            StepResult result = bash(step.path("name").asText(), step.path("run").asText(), env);
            results.add(result);
            if (result.code() != 0) {
                break;
            }
        }
        return results;
    }

    private static String substitute(String text, Map<String, String> context) {
        Matcher m = EXPRESSION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = context.get(m.group(1));
            assertThat(value).as("expression %s is known to this test", m.group(1)).isNotNull();
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    private StepResult bash(String name, String script, Map<String, String> env) throws Exception {
        Path out = tmp.resolve("step.out");
        ProcessBuilder pb = new ProcessBuilder("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script)
                .directory(tmp.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("step " + name + " did not end within 60 s");
        }
        return new StepResult(name, p.exitValue(), Files.readString(out).strip());
    }

    private static JsonNode actionYml() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("action.yml").toFile());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
