package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.RunKind;
import dev.slipway.core.journal.RunRequest;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.EcsSpec;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.images.DockerClients;
import dev.slipway.images.ImageEngine;
import dev.slipway.images.ImageEngines;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real build: podman (Docker API) builds a tiny image on the local JRE base image and pushes it to the registry on
 * 127.0.0.1:5000 (moto's ECR keeps no layers), while the ECR repository is created in moto. Skipped when no engine or
 * registry answers, unless CI=true.
 */
class EcsBuildPodmanIT {
    static final String REGISTRY = System.getenv().getOrDefault("SLIPWAY_REGISTRY", "127.0.0.1:5000");
    @TempDir
    Path dir;

    @Test
    void build_withPodmanAndLocalRegistry_pushesImageAndRecordsRegistryDigest() throws Exception {
        ImageEngine images = engineOrSkip();
        registryOrSkip();
        try (EcsWorld world = EcsWorld.create(dir); images) {
            String base = System.getenv().getOrDefault("SLIPWAY_JRE_IMAGE", "localhost/slipway-jre:17");
            Files.writeString(dir.resolve("Containerfile"), "FROM " + base + "\nCOPY hello.txt /hello.txt\n");
            Files.writeString(dir.resolve("hello.txt"), "built by EcsBuildPodmanIT\n");
            SlipwaySpec spec = world.spec(world.moto.endpoint());
            spec = new SlipwaySpec(spec.app(), spec.baseDir(), new dev.slipway.core.spec.BuildSpec(".", "Containerfile",
                    Map.of(), null), spec.migrations(), spec.health(), spec.timeouts(), spec.stages(), spec.state(), spec.metrics());
            EcsSpec ecs = spec.stage(EcsWorld.STAGE).orElseThrow().ecs();
            EcsTarget target = new EcsTarget(EcsSettings.of(ecs).withRegistryOverride(REGISTRY),
                    AwsClients.create(ecs, EcsWorld.CREDENTIALS), () -> images);
            RunView run;
            try (Engine engine = EcsWorld.engine(spec, target, dir.resolve(".slipway").resolve("state.db"))) {
                run = EcsWorld.deploy(engine, "c0ffee" + System.nanoTime());
            }

            assertThat(run.state()).as(run.reason()).isEqualTo(RunState.SUCCEEDED);
            String digest = run.step("build").orElseThrow().outputs().get("digest");
            assertThat(digest).startsWith("sha256:");
            HttpResponse<Void> manifest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            "http://" + REGISTRY + "/v2/hello/manifests/" + digest)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .header("Accept", "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json")
                    .build(), HttpResponse.BodyHandlers.discarding());
            assertThat(manifest.statusCode()).as("the registry has the recorded digest").isEqualTo(200);
            assertThat(world.taskDefinition(world.service().taskDefinition()).containerDefinitions().get(0).image())
                    .isEqualTo(REGISTRY + "/hello@" + digest);
        }
    }

    @Test
    void deploy_sameCommitFromAFreshJournalThenByDigest_findsTheImageInTheRegistryAndBuildsNothing() throws Exception {
        ImageEngine real = engineOrSkip();
        registryOrSkip();
        CountingEngine images = new CountingEngine(real);
        try (EcsWorld world = EcsWorld.create(dir); real) {
            Files.writeString(dir.resolve("Containerfile"), "FROM " + System.getenv().getOrDefault("SLIPWAY_JRE_IMAGE",
                    "localhost/slipway-jre:17") + "\nCOPY Containerfile /Containerfile\n");
            SlipwaySpec spec = world.spec(world.moto.endpoint());
            spec = new SlipwaySpec(spec.app(), spec.baseDir(), new dev.slipway.core.spec.BuildSpec(".", "Containerfile",
                    Map.of(), null), spec.migrations(), spec.health(), spec.timeouts(), spec.stages(), spec.state(), spec.metrics());
            EcsSpec ecs = spec.stage(EcsWorld.STAGE).orElseThrow().ecs();
            String commit = "c0ffee" + System.nanoTime();
            RunView first = deploy(spec, ecs, images, dir.resolve(".slipway").resolve("first.db"), new RunRequest("hello", EcsWorld.STAGE, commit,
                    RunKind.DEPLOY, "test"));
            RunView second = deploy(spec, ecs, images, dir.resolve(".slipway").resolve("second.db"), new RunRequest("hello", EcsWorld.STAGE, commit,
                    RunKind.DEPLOY, "test"));
            String digest = first.step("build").orElseThrow().outputs().get("digest");
            RunView byDigest = deploy(spec, ecs, images, dir.resolve(".slipway").resolve("second.db"), new RunRequest("hello", EcsWorld.STAGE,
                    "other" + commit, RunKind.DEPLOY, "test", "elsewhere/hello@" + digest, null));
            // Docker Hub's hello, which the stage's registry does not hold: refused before it is queued (exit 2)
            SlipwaySpec withBuild = spec;
            org.assertj.core.api.ThrowableAssert.ThrowingCallable missing = () -> deploy(withBuild, ecs, images,
                    dir.resolve(".slipway").resolve("second.db"), new RunRequest("hello", EcsWorld.STAGE, "missing" + commit,
                    RunKind.DEPLOY, "test", "hello@sha256:" + "0".repeat(64), null));

            assertThat(first.state()).as(first.reason()).isEqualTo(RunState.SUCCEEDED);
            assertThat(second.state()).as(second.reason()).isEqualTo(RunState.SUCCEEDED);
            assertThat(images.builds).as("builds").isEqualTo(1);
            assertThat(second.step("build").orElseThrow().outputs()).containsEntry("digest", digest)
                    .containsEntry("imageFrom", "repository-tag");
            assertThat(byDigest.state()).as(byDigest.reason()).isEqualTo(RunState.SUCCEEDED);
            assertThat(byDigest.step("build").orElseThrow().outputs()).containsEntry("image", REGISTRY + "/hello@" + digest)
                    .containsEntry("imageFrom", "requested");
            org.assertj.core.api.Assertions.assertThatThrownBy(missing).isInstanceOfSatisfying(dev.slipway.core.SlipwayException.class,
                    e -> assertThat(e.exitCode()).isEqualTo(2)).hasMessageContaining("is on registry docker.io")
                    .hasMessageContaining("has no image sha256:" + "0".repeat(64));
            assertThat(images.builds).as("builds").isEqualTo(1);
        }
    }

    private static RunView deploy(SlipwaySpec spec, EcsSpec ecs, ImageEngine images, Path journal, RunRequest request) {
        EcsTarget target = new EcsTarget(EcsSettings.of(ecs).withRegistryOverride(REGISTRY),
                AwsClients.create(ecs, EcsWorld.CREDENTIALS), () -> images);
        try (Engine engine = EcsWorld.engine(spec, target, journal)) {
            return engine.run(engine.request(request).id(), dev.slipway.core.engine.RunListener.NONE);
        }
    }

    /** The real engine, counting builds. */
    private static final class CountingEngine implements ImageEngine {
        private final ImageEngine real;
        volatile int builds;

        CountingEngine(ImageEngine real) {
            this.real = real;
        }

        @Override
        public BuiltImage build(BuildRequest request, java.util.function.Consumer<String> log) {
            builds++;
            return real.build(request, log);
        }

        @Override
        public String push(String image, String targetRef, RegistryAuth auth, java.util.function.Consumer<String> log) {
            return real.push(image, targetRef, auth, log);
        }

        @Override
        public boolean exists(String ref) {
            return real.exists(ref);
        }

        @Override
        public void close() {
        }
    }

    private static ImageEngine engineOrSkip() {
        try {
            var client = DockerClients.fromEnvironment();
            client.pingCmd().exec();
            return ImageEngines.docker(client);
        } catch (RuntimeException e) {
            return skip("no container engine answers (" + e.getMessage() + "); run scripts/env-up.sh");
        }
    }

    private static void registryOrSkip() {
        try {
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://" + REGISTRY + "/v2/")).build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            skip("no registry on " + REGISTRY + " (" + e.getMessage() + "); run scripts/env-up.sh");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T skip(String why) {
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(why + " — CI=true, so this is a failure, not a skip");
        }
        Assumptions.abort(why);
        return null;
    }
}
