package dev.slipway.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import dev.slipway.core.target.TargetException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerImageEngineIT {
    private static final String REPO = "slipway-images-it";
    private static DockerClient client;
    private static ImageEngine engine;

    @TempDir
    Path context;

    /** Per test rather than @BeforeAll, so that a missing engine shows as skipped tests with the reason. */
    @BeforeEach
    void connect() {
        if (client == null) {
            client = ContainerEngine.connectOrSkip();
            engine = ImageEngines.docker(client);
        }
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (client == null) {
            return;
        }
        client.listImagesCmd().withLabelFilter(Map.of("slipway.test", REPO)).exec()
                .forEach(i -> client.removeImageCmd(i.getId()).withForce(true).exec());
        engine.close();
        client.close();
    }

    @Test
    void build_contextWithDockerignore_sendsOnlyIncludedFilesAndStreamsOutput() throws IOException {
        Files.writeString(context.resolve("Containerfile"), "ARG BASE\nFROM ${BASE}\nARG GREETING\nCOPY . /ctx/\n"
                + "RUN echo \"greeting=$GREETING\" && find /ctx -type f | sort\n");
        Files.writeString(context.resolve(".dockerignore"), "# only the app\n*\n!app/\napp/*.tmp\n");
        Files.createDirectories(context.resolve("app"));
        Files.writeString(context.resolve("app/run.txt"), "x");
        Files.writeString(context.resolve("app/skip.tmp"), "x");
        Files.writeString(context.resolve("secret.env"), "x");
        List<String> log = new CopyOnWriteArrayList<>();
        String tag = REPO + ":" + UUID.randomUUID().toString().substring(0, 8);

        ImageEngine.BuiltImage image = engine.build(new ImageEngine.BuildRequest(context, "Containerfile",
                Map.of("BASE", ContainerEngine.baseImage(), "GREETING", "hello"), tag, Map.of("slipway.test", REPO)), log::add);

        assertThat(image.id()).startsWith("sha256:");
        assertThat(image.digest()).isEqualTo(image.id());
        assertThat(engine.exists(tag)).isTrue();
        assertThat(log).contains("greeting=hello", "/ctx/app/run.txt")
                .noneMatch(l -> l.contains("skip.tmp") || l.contains("secret.env"));
    }

    @Test
    void build_withSecret_runStepReadsItAndNoLayerHistoryOrConfigHoldsIt() throws Exception {
        String secret = "sec-" + UUID.randomUUID();
        Files.writeString(context.resolve("Containerfile"), "FROM " + ContainerEngine.baseImage() + "\nCOPY . /ctx/\n"
                + "RUN --mount=type=secret,id=api_token sha256sum /run/secrets/api_token | cut -c1-64 > /token.sha256"
                + " && echo token-sha=$(cat /token.sha256) && ls -A /ctx\n");
        List<String> log = new CopyOnWriteArrayList<>();
        String tag = REPO + ":secret";
        List<Path> tempBefore = slipwayTempFiles();

        engine.build(new ImageEngine.BuildRequest(context, "Containerfile", Map.of(), tag, Map.of("slipway.test", REPO),
                Map.of("api_token", secret)), log::add);

        String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(log).contains("token-sha=" + sha, "Containerfile").noneMatch(l -> l.contains("slipway-secret"));
        assertThat(log.toString()).doesNotContain(secret);
        String history = client.listImagesCmd().exec().toString() + client.inspectImageCmd(tag).exec().toString()
                + new String(client.saveImageCmd(tag).exec().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(history).doesNotContain(secret);
        assertThat(slipwayTempFiles()).isEqualTo(tempBefore);
    }

    private static List<Path> slipwayTempFiles() throws IOException {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("slipway-secret-context-")).sorted().toList();
        }
    }

    @Test
    void build_failingInstruction_failsWithTheBuildOutputTail() throws IOException {
        Files.writeString(context.resolve("Dockerfile"), "FROM " + ContainerEngine.baseImage()
                + "\nRUN echo 'about to fail: marker-42' && exit 3\n");

        assertThatThrownBy(() -> engine.build(new ImageEngine.BuildRequest(context, "Dockerfile", Map.of(),
                REPO + ":broken", Map.of("slipway.test", REPO)), l -> { }))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("image build of " + REPO + ":broken failed")
                .hasMessageContaining("marker-42");
    }

    @Test
    void build_missingDockerfile_failsNamingThePath() {
        assertThatThrownBy(() -> engine.build(new ImageEngine.BuildRequest(context, "Nope", Map.of(), REPO + ":x",
                Map.of()), l -> { }))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining(context.resolve("Nope").toString());
    }

    @Test
    void exists_unknownImage_isFalse() {
        assertThat(engine.exists(REPO + ":does-not-exist-" + UUID.randomUUID())).isFalse();
    }

    @Test
    void push_toLocalRegistry_returnsTheRegistryDigest() throws IOException {
        String registry = System.getenv().getOrDefault("SLIPWAY_REGISTRY", "127.0.0.1:5000");
        Assumptions.assumeTrue(registryAnswers(registry), "no registry answers at " + registry + " (scripts/env-up.sh starts one)");
        Files.writeString(context.resolve("Dockerfile"), "FROM " + ContainerEngine.baseImage() + "\nLABEL n=\"" + UUID.randomUUID() + "\"\n");
        String tag = REPO + ":push";
        engine.build(new ImageEngine.BuildRequest(context, "Dockerfile", Map.of(), tag, Map.of("slipway.test", REPO)), l -> { });

        String digest = engine.push(tag, registry + "/" + tag, null, l -> { });

        assertThat(digest).matches("sha256:[0-9a-f]{64}");
        assertThat(engine.exists(registry + "/" + tag)).isTrue();
    }

    private static boolean registryAnswers(String registry) {
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
