package dev.slipway.local;

import dev.slipway.core.spec.BuildSpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import dev.slipway.images.ImageEngine;
import dev.slipway.images.ImageRefs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Gives the run the image of its commit: the one asked for ({@code deploy --image}), else the one an earlier run built
 * for this commit while the engine still has it, else builds {@code <app>:<commit>} from the commit's tree and pushes
 * it when a registry is set. The image carries the app and commit only, never the run: one commit, one image.
 */
final class BuildStep {
    private final ImageEngine images;

    BuildStep(ImageEngine images) {
        this.images = images;
    }

    Outputs run(StepContext ctx) {
        Optional<String> requested = ctx.requestedImage();
        if (requested.isPresent()) {
            return requested(ctx, requested.get());
        }
        Optional<Outputs> earlier = ctx.earlierBuild();
        if (earlier.isPresent()) {
            String image = earlier.get().get("imageId").or(() -> earlier.get().get("image")).orElse("");
            if (!image.isEmpty() && images.exists(image)) {
                ctx.log("reusing image " + earlier.get().get("image").orElse(image) + " (" + LocalSettings.shortId(image)
                        + ") built by an earlier run for commit " + ctx.commit() + "; nothing is built");
                return earlier.get();
            }
            ctx.log("the image built earlier for commit " + ctx.commit() + " (" + LocalSettings.shortId(image)
                    + ") is no longer in the container engine: building it again");
        }
        return build(ctx);
    }

    private Outputs requested(StepContext ctx, String ref) {
        if (!images.exists(ref)) {
            throw TargetException.permanent("image " + ref + " (deploy --image) is not in the container engine at DOCKER_HOST;"
                    + " pull or load it there first (`podman pull " + ref + "`), or deploy without --image to build commit "
                    + ctx.commit());
        }
        ctx.log("deploying the requested image " + ref + "; nothing is built");
        int at = ref.indexOf('@');
        return Outputs.of("image", ref, "imageId", ref, "digest", at < 0 ? ref : ref.substring(at + 1));
    }

    private Outputs build(StepContext ctx) {
        BuildSpec build = ctx.spec().build();
        Path context = ctx.sourceDir().resolve(build.context()).normalize();
        Map<String, String> args = new LinkedHashMap<>();
        build.args().forEach((k, v) -> args.put(k, ctx.resolve(v, "build.args." + k)));
        Map<String, String> secrets = new LinkedHashMap<>();
        build.secrets().forEach((k, v) -> secrets.put(k, ctx.resolve(v, "build.secrets." + k)));
        String tag = ImageRefs.local(ctx.spec().app(), ctx.commit());
        Map<String, String> labels = Map.of(Labels.APP, ctx.spec().app(), Labels.COMMIT, ctx.commit());
        ctx.log("building " + tag + " from " + context.resolve(build.dockerfile()));
        ImageEngine.BuiltImage image = images.build(new ImageEngine.BuildRequest(context, build.dockerfile(), args, tag, labels,
                        secrets),
                ctx::log);
        if (build.registry() == null || build.registry().isBlank()) {
            return Outputs.of("image", image.ref(), "imageId", image.id(), "digest", image.digest());
        }
        String remote = build.registry().replaceAll("/+$", "") + "/" + tag;
        String digest = images.push(image.id(), remote, null, ctx::log);
        return Outputs.of("image", remote, "imageId", image.id(), "digest", digest, "localImage", tag);
    }
}
