package dev.slipway.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.TargetException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildStepTest {
    private final FakeImages images = new FakeImages();

    private FixedContext ctx() {
        FixedContext ctx = new FixedContext(Specs.local("host", 1), "staging", 3, "abc123").at(StepName.BUILD);
        ctx.sourceDir = Path.of("/tmp/slipway-src/abc123");
        return ctx;
    }

    @Test
    void build_noEarlierImage_buildsFromTheCommitsTreeWithAppAndCommitLabelsOnly() {
        Outputs out = new BuildStep(images).run(ctx());

        assertThat(images.builds).singleElement().satisfies(r -> {
            assertThat(r.context()).isEqualTo(Path.of("/tmp/slipway-src/abc123/app"));
            assertThat(r.tag()).isEqualTo("hello:abc123");
            assertThat(r.labels()).isEqualTo(Map.of(Labels.APP, "hello", Labels.COMMIT, "abc123"));
        });
        assertThat(out.values()).containsEntry("image", "hello:abc123").containsEntry("imageId", "sha256:built1")
                .containsEntry("digest", "sha256:built1");
    }

    @Test
    void build_earlierBuildOfTheCommitStillInTheEngine_reusesItWithoutBuilding() {
        FixedContext ctx = ctx();
        ctx.earlierBuild = Outputs.of("image", "hello:abc123", "imageId", "sha256:0123456789abcdef", "digest", "sha256:0123456789abcdef");
        images.present.add("sha256:0123456789abcdef");

        Outputs out = new BuildStep(images).run(ctx);

        assertThat(images.builds).isEmpty();
        assertThat(out).isEqualTo(ctx.earlierBuild);
        assertThat(ctx.log).contains("reusing image hello:abc123 (0123456789ab) built by an earlier run for commit abc123;"
                + " nothing is built");
    }

    @Test
    void build_earlierBuildsImageGone_buildsAgain() {
        FixedContext ctx = ctx();
        ctx.earlierBuild = Outputs.of("image", "hello:abc123", "imageId", "sha256:removed", "digest", "sha256:removed");

        Outputs out = new BuildStep(images).run(ctx);

        assertThat(images.builds).hasSize(1);
        assertThat(out.require("imageId")).isEqualTo("sha256:built1");
        assertThat(ctx.log).anyMatch(l -> l.contains("is no longer in the container engine: building it again"));
    }

    @Test
    void build_requestedImageInTheEngine_deploysItWithoutBuilding() {
        FixedContext ctx = ctx();
        ctx.requestedImage = "registry.example/hello@sha256:feed";
        ctx.earlierBuild = Outputs.of("image", "hello:abc123", "imageId", "sha256:old");
        images.present.add("sha256:old");
        images.present.add(ctx.requestedImage);

        Outputs out = new BuildStep(images).run(ctx);

        assertThat(images.builds).isEmpty();
        assertThat(out.values()).containsEntry("image", "registry.example/hello@sha256:feed")
                .containsEntry("imageId", "registry.example/hello@sha256:feed").containsEntry("digest", "sha256:feed");
    }

    @Test
    void build_requestedImageNotInTheEngine_failsPermanentlyNamingIt() {
        FixedContext ctx = ctx();
        ctx.requestedImage = "registry.example/hello@sha256:feed";

        assertThatThrownBy(() -> new BuildStep(images).run(ctx))
                .isInstanceOfSatisfying(TargetException.class, e -> assertThat(e.isTransient()).isFalse())
                .hasMessageContaining("image registry.example/hello@sha256:feed (deploy --image) is not in the container engine")
                .hasMessageContaining("deploy without --image to build commit abc123");
        assertThat(images.builds).isEmpty();
    }
}
