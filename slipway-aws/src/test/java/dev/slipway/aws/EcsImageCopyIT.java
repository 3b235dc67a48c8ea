package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.SlipwayException;
import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRequest;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.EcsSpec;
import dev.slipway.core.spec.SlipwaySpec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy --image} of an image that is not in the stage's repository: copied by digest from another repository
 * of the same registry (the registry on 127.0.0.1:5000 as the stage's {@code ecs.registry}; ECR itself in moto), and
 * refused before it is queued when it is on another registry. The images are made here through the registry's HTTP API,
 * with random contents, so their digests are this test's alone on the shared registry.
 */
class EcsImageCopyIT {
    static final String REGISTRY = System.getenv().getOrDefault("SLIPWAY_REGISTRY", "127.0.0.1:5000");
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    @TempDir
    Path dir;
    EcsWorld world;
    final FakeImageEngine images = new FakeImageEngine();

    @BeforeEach
    void setUp() {
        registryOrSkip();
        world = EcsWorld.create(dir);
    }

    @AfterEach
    void tearDown() {
        if (world != null) {
            world.close();
        }
    }

    @Test
    void deploy_imageInAnotherRepositoryOfTheRegistry_copiesItByDigestTaggedWithTheRunAndDeploysIt() throws Exception {
        String source = "ci-builds-" + UUID.randomUUID();
        Image image = Image.push(source);

        RunView run = deploy(REGISTRY + "/" + source + "@" + image.digest);

        assertThat(run.state()).as(run.reason()).isEqualTo(RunState.SUCCEEDED);
        String tag = "slipway-run-" + run.run().key();
        assertThat(run.step("build").orElseThrow().outputs()).containsEntry("imageFrom", "copied")
                .containsEntry("digest", image.digest).containsEntry("image", REGISTRY + "/hello@" + image.digest)
                .containsEntry("tag", REGISTRY + "/hello:" + tag);
        assertThat(manifestDigest("hello", image.digest)).isEqualTo(image.digest);
        assertThat(manifestDigest("hello", tag)).as("the run's tag names the same digest").isEqualTo(image.digest);
        for (String blob : image.blobs) {
            assertThat(blob("hello", blob)).isEqualTo(image.blob(blob));
        }
        assertThat(images.built).isEmpty();
        assertThat(world.taskDefinition(world.service().taskDefinition()).containerDefinitions().get(0).image())
                .isEqualTo(REGISTRY + "/hello@" + image.digest);
    }

    /** Without cross-repository mounts (ECR's way): every blob is pulled, checked and pushed; an index with its manifests. */
    @Test
    void copy_indexWithoutMounts_pullsAndPushesEveryBlobAndKeepsEveryDigest() throws Exception {
        String source = "ci-builds-" + UUID.randomUUID();
        String target = "copy-" + UUID.randomUUID();
        Image amd64 = Image.push(source);
        Image arm64 = Image.push(source);
        String index = Image.putIndex(source, amd64, arm64);
        List<String> log = new ArrayList<>();

        new ImageCopy(HTTP, REGISTRY, null, false).copy(source, target, index, "slipway-run-X", log::add);

        assertThat(manifestDigest(target, index)).isEqualTo(index);
        assertThat(manifestDigest(target, "slipway-run-X")).isEqualTo(index);
        for (Image i : List.of(amd64, arm64)) {
            assertThat(manifestDigest(target, i.digest)).isEqualTo(i.digest);
            for (String blob : i.blobs) {
                assertThat(blob(target, blob)).isEqualTo(i.blob(blob));
            }
        }
        assertThat(log).anySatisfy(l -> assertThat(l).startsWith("copied blob "));
    }

    @Test
    void request_imageOnAnotherRegistryNotInTheStagesRepository_isRefusedWithExit2BeforeItIsQueued() {
        String digest = "sha256:" + Image.sha("other " + UUID.randomUUID());
        String ref = "ghcr.io/acme/hello@" + digest;
        SlipwaySpec spec = world.spec(world.moto.endpoint());
        EcsTarget target = target(spec);
        Path journal = dir.resolve("state.db");

        try (Engine engine = EcsWorld.engine(spec, target, journal)) {
            assertThatThrownBy(() -> engine.request(new RunRequest("hello", EcsWorld.STAGE, "c1", RunKind.DEPLOY, "test", ref, null)))
                    .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.exitCode()).isEqualTo(2))
                    .hasMessageContaining("--image " + ref + " is on registry ghcr.io")
                    .hasMessageContaining(REGISTRY + "/hello, which has no image " + digest)
                    .hasMessageContaining("Copy it there first").hasMessageContaining("deploy --image " + REGISTRY + "/hello@" + digest)
                    .hasMessageContaining("Nothing was changed");
        }
        try (dev.slipway.core.journal.Journal j = dev.slipway.core.journal.Journals.open("jdbc:sqlite:" + journal, null, null)) {
            assertThat(j.runs(EcsWorld.STAGE, 10)).as("nothing was queued").isEmpty();
        }
        assertThat(world.service().taskDefinition()).isEqualTo(world.initialTaskDefinition);
        assertThat(world.admin.ecs().listTaskDefinitions().taskDefinitionArns()).containsExactly(world.initialTaskDefinition);
    }

    /** In another repository of the stage's registry that does not hold it: the copy fails naming it, changing nothing. */
    @Test
    void deploy_digestMissingFromTheSourceRepository_failsNamingItAndChangesNothing() {
        String source = "ci-builds-" + UUID.randomUUID();
        String digest = "sha256:" + Image.sha("never pushed " + UUID.randomUUID());

        RunView run = deploy(REGISTRY + "/" + source + "@" + digest);

        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.reason()).contains("repository " + REGISTRY + "/" + source + " has no image " + digest,
                "nothing on stage staging was changed");
        assertThat(world.service().taskDefinition()).isEqualTo(world.initialTaskDefinition);
    }

    private EcsTarget target(SlipwaySpec spec) {
        EcsSpec ecs = spec.stage(EcsWorld.STAGE).orElseThrow().ecs();
        return new EcsTarget(EcsSettings.of(ecs).withRegistryOverride(REGISTRY), AwsClients.create(ecs, EcsWorld.CREDENTIALS),
                () -> images);
    }

    private RunView deploy(String image) {
        SlipwaySpec spec = world.spec(world.moto.endpoint());
        try (Engine engine = EcsWorld.engine(spec, target(spec), dir.resolve("state.db"))) {
            long id = engine.request(new RunRequest("hello", EcsWorld.STAGE, "c0ffee" + System.nanoTime(), RunKind.DEPLOY, "test",
                    image, null)).id();
            return engine.run(id, dev.slipway.core.engine.RunListener.NONE);
        }
    }

    private static String manifestDigest(String repository, String ref) throws Exception {
        HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/" + repository
                + "/manifests/" + ref)).header("Accept", ImageCopy.ACCEPT).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(repository + ":" + ref).isEqualTo(200);
        return ImageCopy.sha256(r.body());
    }

    private static String blob(String repository, String digest) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/" + repository
                + "/blobs/" + digest)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(repository + "@" + digest).isEqualTo(200);
        return r.body();
    }

    /** A small image (config and one layer of random text) pushed to a repository of the registry. */
    record Image(String digest, List<String> blobs, List<String> contents) {
        String blob(String d) {
            return contents.get(blobs.indexOf(d));
        }

        static Image push(String repository) throws Exception {
            String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
                    + "\"slipway-test\":\"" + UUID.randomUUID() + "\"}";
            String layer = "layer " + UUID.randomUUID();
            String c = putBlob(repository, config);
            String l = putBlob(repository, layer);
            String manifest = """
                    {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                     "config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":%d,"digest":"%s"},
                     "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","size":%d,"digest":"%s"}]}"""
                    .formatted(config.length(), c, layer.length(), l);
            return new Image(putManifest(repository, manifest, "application/vnd.oci.image.manifest.v1+json"),
                    List.of(c, l), List.of(config, layer));
        }

        static String putIndex(String repository, Image... images) throws Exception {
            StringBuilder manifests = new StringBuilder();
            String[] arch = {"amd64", "arm64"};
            for (int i = 0; i < images.length; i++) {
                manifests.append(i == 0 ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                        + "\"size\":1,\"digest\":\"" + images[i].digest + "\",\"platform\":{\"architecture\":\"" + arch[i % 2]
                        + "\",\"os\":\"linux\"}}");
            }
            String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":["
                    + manifests + "]}";
            return putManifest(repository, index, "application/vnd.oci.image.index.v1+json");
        }

        static String sha(String text) {
            return ImageCopy.sha256(text.getBytes(StandardCharsets.UTF_8)).substring("sha256:".length());
        }

        private static String putBlob(String repository, String content) throws Exception {
            String digest = "sha256:" + sha(content);
            HttpResponse<Void> started = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/" + repository
                    + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(started.statusCode()).isEqualTo(202);
            URI location = URI.create("http://" + REGISTRY + "/").resolve(started.headers().firstValue("Location").orElseThrow());
            HttpResponse<Void> put = HTTP.send(HttpRequest.newBuilder(URI.create(location + (location.getQuery() == null ? "?" : "&")
                            + "digest=" + digest)).header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofString(content)).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(put.statusCode()).isEqualTo(201);
            return digest;
        }

        private static String putManifest(String repository, String manifest, String type) throws Exception {
            String digest = "sha256:" + sha(manifest);
            HttpResponse<Void> put = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/" + repository
                            + "/manifests/" + digest)).header("Content-Type", type).PUT(HttpRequest.BodyPublishers.ofString(manifest)).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(put.statusCode()).as("PUT manifest " + repository).isEqualTo(201);
            return digest;
        }
    }

    private static void registryOrSkip() {
        try {
            HTTP.send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/")).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("no registry on " + REGISTRY + " — CI=true, so this is a failure, not a skip", e);
            }
            Assumptions.abort("no registry on " + REGISTRY + " (" + e.getMessage() + "); run scripts/env-up.sh");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
