package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9: a real deploy on the local target (podman) whose secrets are used whole (an app variable), inside a longer
 * value ({@code DSN: "app:${env:…}"}), as a build secret, and printed by a failing migration. Afterwards no byte
 * Slipway wrote or made holds any of them: its stdout and stderr, every table of the journal, every file under
 * {@code .slipway/}, {@code logs RUN --output json}, and the image's history, config and layers.
 */
class SecretLeakIT {
    private static final String APP = "leakit";
    private final String whole = "whole-" + UUID.randomUUID();
    private final String part = "part-" + UUID.randomUUID();
    private final String buildSecret = "build-" + UUID.randomUUID();
    private String commit;

    @TempDir
    Path dir;

    @AfterEach
    void removeImage() throws Exception {
        if (commit != null) {
            podman("rm", "-f", "--filter", "label=slipway.app=" + APP);
            podman("rmi", "-f", APP + ":" + commit);
        }
    }

    @Test
    void deploy_withSecretsEverywhereAndAFailingMigration_writesNoSecretAnywhere() throws Exception {
        assumeEngine();
        project();
        Map<String, String> env = Map.of("LEAK_WHOLE", whole, "LEAK_PART", part, "LEAK_BUILD", buildSecret);

        SlipwayProcess deploy = SlipwayProcess.startWithErrorsApart(dir, env, "deploy", "staging", "-f", "slipway.yml");
        int code = deploy.waitFor(300);
        SlipwayProcess logs = SlipwayProcess.startWithErrorsApart(dir, env, "logs", "1", "--output", "json", "-f", "slipway.yml");
        logs.waitFor(60);

        String out = deploy.output() + deploy.errors();
        assertThat(code).as(out).isEqualTo(1); // the migration failed; nothing served before, so it is rolled back
        assertThat(out).as("the build secret reached RUN --mount=type=secret").contains("token-sha=" + sha256(buildSecret));
        assertThat(out).as("the migration's lines are shown, masked").contains("api-key=****", "dsn=****", "part=****");
        assertThat(logs.output()).contains("part=****");
        Map<String, String> written = new java.util.LinkedHashMap<>();
        written.put("deploy stdout", deploy.output());
        written.put("deploy stderr", deploy.errors());
        written.put("logs --output json", logs.output() + logs.errors());
        written.put("journal tables", journalDump(dir.resolve(".slipway/state.db")));
        written.putAll(filesUnder(dir.resolve(".slipway")));
        written.put("podman history", podman("history", "--no-trunc", "--format", "{{.CreatedBy}} {{.Comment}}", APP + ":" + commit));
        written.put("podman image inspect", podman("image", "inspect", APP + ":" + commit));
        written.put("image layers", podmanSave(APP + ":" + commit));
        written.forEach((where, text) -> {
            for (String secret : List.of(whole, part, buildSecret)) {
                assertThat(text).as(where + " holds a secret").doesNotContain(secret);
            }
        });
    }

    private void project() throws Exception {
        Files.writeString(dir.resolve("Containerfile"), "FROM " + jreImage() + "\n"
                + "RUN --mount=type=secret,id=build_token sha256sum /run/secrets/build_token | cut -c1-64 > /token.sha256\n"
                + "CMD [\"sleep\", \"600\"]\n");
        Files.writeString(dir.resolve("slipway.yml"), """
                app: %s
                build:
                  context: .
                  dockerfile: Containerfile
                  secrets: {build_token: "${env:LEAK_BUILD}"}
                migrations:
                  command: [sh, -c, 'echo "api-key=$API_KEY"; echo "dsn=$DSN"; echo "part=$${DSN#app:}"; echo "token-sha=$(cat /token.sha256)"; exit 1']
                  timeout: 60s
                health: {timeout: 20s}
                timeouts: {build: 3m, snapshot: 1m, stop: 1m, deploy: 1m, compensate: 90s}
                stages:
                  staging:
                    branch: main
                    target: local
                    local: {port: 28390, stop-grace: 2s}
                    environment:
                      API_KEY: "${env:LEAK_WHOLE}"
                      DSN: "app:${env:LEAK_PART}"
                """.formatted(APP));
        git("init", "-q", "-b", "main");
        git("add", "Containerfile", "slipway.yml");
        git("commit", "-q", "-m", "app");
        commit = git("rev-parse", "HEAD").strip();
    }

    private static String journalDump(Path db) throws SQLException {
        StringBuilder sb = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select name from sqlite_master where type = 'table'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("slipway_events", "slipway_logs");
            for (String t : tables) {
                try (ResultSet rs = s.executeQuery("select * from \"" + t + "\"")) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            sb.append(rs.getString(i)).append('\t');
                        }
                        sb.append('\n');
                    }
                }
            }
        }
        return sb.toString();
    }

    private static Map<String, String> filesUnder(Path root) throws IOException {
        Map<String, String> out = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(f).toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    private String git(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@localhost"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private String podman(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("podman", "--url", dockerHost()));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Every layer and the config of the image, as {@code podman save} writes them (uncompressed tar). */
    private String podmanSave(String image) throws Exception {
        Path tar = dir.resolveSibling(dir.getFileName() + "-image.tar");
        try {
            podman("save", "-o", tar.toString(), image);
            return new String(Files.readAllBytes(tar), StandardCharsets.ISO_8859_1);
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    private String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(cmd + " failed: " + out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void assumeEngine() {
        boolean ready;
        try {
            Process p = new ProcessBuilder("podman", "--url", dockerHost(), "image", "exists", jreImage()).start();
            ready = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            ready = false;
        }
        if (!ready && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("no podman with " + jreImage() + " at " + dockerHost() + " — CI=true, so this fails");
        }
        Assumptions.assumeTrue(ready, "no podman with " + jreImage() + " at " + dockerHost() + "; run scripts/env-up.sh");
    }

    private static String dockerHost() {
        String h = System.getenv("DOCKER_HOST");
        return h == null || h.isBlank() ? "unix://" + System.getProperty("user.home") + "/.slipway-env/podman.sock" : h;
    }

    private static String jreImage() {
        String i = System.getenv("SLIPWAY_JRE_IMAGE");
        return i == null || i.isBlank() ? "localhost/slipway-jre:17" : i;
    }

    private static String sha256(String s) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
