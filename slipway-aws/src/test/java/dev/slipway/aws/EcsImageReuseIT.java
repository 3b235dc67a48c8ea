package dev.slipway.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.engine.Engine;
import dev.slipway.core.journal.RunState;
import dev.slipway.core.journal.RunView;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.TargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One image per commit: the build step deploys a requested image, reuses an earlier build or the image under the
 * commit's tag, and builds and pushes only when the repository has none of them. ECR refuses a second push of a tag
 * to an immutable repository; the fault proxy answers as ECR does (moto does not, see
 * {@link FaultProxy#immutableImageTags()}).
 */
class EcsImageReuseIT {
    static final String COMMIT = "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d";
    @TempDir
    Path dir;
    EcsWorld world;
    FaultProxy proxy;
    final FakeImageEngine images = new FakeImageEngine();

    @BeforeEach
    void setUp() {
        world = EcsWorld.create(dir);
        proxy = FaultProxy.start(world.moto.endpoint());
    }

    @AfterEach
    void tearDown() {
        proxy.close();
        world.close();
    }

    @Test
    void deploy_sameCommitFromAFreshJournal_reusesTheTaggedImageWithoutPushing() {
        proxy.immutableImageTags();

        RunView first = deploy("first.db");
        RunView second = deploy("second.db");

        assertThat(first.state()).as(first.reason()).isEqualTo(RunState.SUCCEEDED);
        assertThat(second.state()).as(second.reason()).isEqualTo(RunState.SUCCEEDED);
        assertThat(images.built).hasSize(1);
        assertThat(images.pushed).as("pushes tried").hasSize(1);
        Map<String, String> build = second.step("build").orElseThrow().outputs();
        assertThat(build).containsEntry("digest", first.step("build").orElseThrow().outputs().get("digest"))
                .containsEntry("imageFrom", "repository-tag");
        assertThat(world.taskDefinition(world.service().taskDefinition()).containerDefinitions().get(0).image())
                .isEqualTo(world.repositoryUri() + "@" + build.get("digest"));
    }

    @Test
    void deploy_tagPushedBySomeoneElseWhileBuilding_failsNamingTheirDigestAndChangesNothing() {
        // ECR with tag immutability, as the fault proxy answers for it: a PutImage of a tag the repository has is refused.
        proxy.refuse("PutImage", r -> tagged(r.path("imageTag").asText()).isPresent(), "ImageTagAlreadyExistsException",
                r -> "The image tag '" + r.path("imageTag").asText() + "' already exists in the 'hello' repository and "
                        + "cannot be overwritten because the repository is immutable.");
        // Someone else pushes the commit's tag between this run's lookup and its push (it asks for ECR auth in between).
        proxy.after("GetAuthorizationToken", call -> world.admin.ecr().putImage(b -> b.repositoryName("hello")
                .imageTag(COMMIT).imageManifest(OTHER_MANIFEST)));

        RunView run = deploy("state.db");

        String theirs = tagged(COMMIT).orElseThrow();
        assertThat(run.state()).isEqualTo(RunState.FAILED);
        assertThat(run.reason()).contains("push of " + world.repositoryUri() + ":" + COMMIT + " was refused",
                "cannot be overwritten", "from someone else", theirs, "nothing on stage staging was changed",
                "deploy --image " + world.repositoryUri() + "@" + theirs);
        assertThat(images.pushed).hasSize(1);
        assertThat(run.step("stop-old")).isEmpty();
        assertThat(world.service().taskDefinition()).isEqualTo(world.initialTaskDefinition);
        assertThat(world.service().desiredCount()).isEqualTo(2);
        assertThat(world.service().tags()).isEmpty();
        assertThat(world.admin.ecs().listTaskDefinitions().taskDefinitionArns()).containsExactly(world.initialTaskDefinition);
    }

    private java.util.Optional<String> tagged(String tag) {
        try {
            return world.admin.ecr().describeImages(b -> b.repositoryName("hello").imageIds(i -> i.imageTag(tag)))
                    .imageDetails().stream().findFirst().map(d -> d.imageDigest());
        } catch (software.amazon.awssdk.services.ecr.model.ImageNotFoundException
                 | software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException e) {
            return java.util.Optional.empty();
        }
    }

    static final String OTHER_MANIFEST = """
            {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
             "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 2, "digest": "sha256:%s"},
             "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 2, "digest": "sha256:%s"}]}
            """.formatted("1".repeat(64), "2".repeat(64));

    @Test
    void deploy_sameCommitAgainInTheSameJournal_reusesTheEarlierBuild() {
        proxy.immutableImageTags();

        RunView first = deploy("state.db");
        RunView second = deploy("state.db");

        assertThat(second.state()).as(second.reason()).isEqualTo(RunState.SUCCEEDED);
        assertThat(images.built).hasSize(1);
        assertThat(images.pushed).hasSize(1);
        assertThat(second.step("build").orElseThrow().outputs())
                .containsEntry("digest", first.step("build").orElseThrow().outputs().get("digest"))
                .containsEntry("imageFrom", "earlier-build");
        assertThat(EcsWorld.logs(dir.resolve("state.db"), second.run().id()))
                .anySatisfy(l -> assertThat(l).contains("reusing the earlier build"));
    }

    @Test
    void deploy_earlierBuildsImageDeletedFromTheRepository_buildsAndPushesAgain() {
        RunView first = deploy("state.db");
        String digest = first.step("build").orElseThrow().outputs().get("digest");
        world.admin.ecr().batchDeleteImage(b -> b.repositoryName("hello").imageIds(i -> i.imageDigest(digest)));

        RunView second = deploy("state.db");

        assertThat(second.state()).as(second.reason()).isEqualTo(RunState.SUCCEEDED);
        assertThat(images.built).hasSize(2);
        assertThat(second.step("build").orElseThrow().outputs()).containsEntry("imageFrom", "built")
                .doesNotContainEntry("digest", digest);
        assertThat(EcsWorld.logs(dir.resolve("state.db"), second.run().id()))
                .anySatisfy(l -> assertThat(l).contains(digest, "no longer holds"));
    }

    @Test
    void build_noImageOfTheCommitYet_buildsFromTheCommitsTreeNotTheCheckout() {
        SlipwaySpec spec = world.spec(world.moto.endpoint());
        EcsTarget target = EcsWorld.target(spec, images);
        TestContext ctx = new TestContext(spec, Duration.ofSeconds(20));
        ctx.sourceDir = dir.resolve("tree-of-abc123");

        Outputs out = target.build(ctx);

        assertThat(images.contexts).singleElement().satisfies(c -> assertThat(c.normalize()).isEqualTo(ctx.sourceDir));
        assertThat(out.get("imageFrom")).contains("built");
    }

    @Test
    void build_requestedImageInTheRepository_deploysItWithoutBuilding() {
        world.admin.ecr().createRepository(b -> b.repositoryName("hello"));
        images.pushInto(world.admin.ecr());
        String digest = images.push("hello:elsewhere", world.repositoryUri() + ":v1", null, line -> { });
        SlipwaySpec spec = world.spec(world.moto.endpoint());
        EcsTarget target = EcsWorld.target(spec, images);
        TestContext ctx = new TestContext(spec, Duration.ofSeconds(20));
        ctx.image = "some.registry/hello@" + digest;

        Outputs out = target.build(ctx);

        assertThat(out.get("image")).contains(world.repositoryUri() + "@" + digest);
        assertThat(out.get("imageFrom")).contains("requested");
        assertThat(images.built).isEmpty();
        assertThat(world.taskDefinition(out.require("taskDefinition")).containerDefinitions().get(0).image())
                .isEqualTo(world.repositoryUri() + "@" + digest);
    }

    @Test
    void build_requestedImageNotInTheRepository_failsNamingItAndBuildsNothing() {
        SlipwaySpec spec = world.spec(world.moto.endpoint());
        EcsTarget target = EcsWorld.target(spec, images);
        TestContext ctx = new TestContext(spec, Duration.ofSeconds(20));
        String digest = "sha256:" + "0".repeat(64);
        ctx.image = "hello@" + digest;

        assertThatThrownBy(() -> target.build(ctx)).isInstanceOf(TargetException.class)
                .hasMessageContaining(digest).hasMessageContaining("Push it there first");
        assertThat(images.built).isEmpty();
    }

    private RunView deploy(String journal) {
        SlipwaySpec spec = world.spec(proxy.endpoint());
        try (Engine engine = EcsWorld.engine(spec, EcsWorld.target(spec, images), dir.resolve(journal))) {
            return EcsWorld.deploy(engine, COMMIT);
        }
    }
}
