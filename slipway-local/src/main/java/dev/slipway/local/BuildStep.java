package dev.slipway.local;

import dev.slipway.core.spec.BuildSpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.images.ImageEngine;
import dev.slipway.images.ImageRefs;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds {@code <app>:<commit>} from the app's Dockerfile/Containerfile, then pushes it when a registry is set. */
final class BuildStep {
    private final ImageEngine images;

    BuildStep(ImageEngine images) {
        this.images = images;
    }

    Outputs run(StepContext ctx) {
        BuildSpec build = ctx.spec().build();
        Path context = ctx.spec().baseDir().resolve(build.context()).normalize();
        Map<String, String> args = new LinkedHashMap<>();
        build.args().forEach((k, v) -> args.put(k, ctx.resolve(v, "build.args." + k)));
        String tag = ImageRefs.local(ctx.spec().app(), ctx.commit());
        Map<String, String> labels = Map.of(Labels.APP, ctx.spec().app(), Labels.COMMIT, ctx.commit());
        ctx.log("building " + tag + " from " + context.resolve(build.dockerfile()));
        ImageEngine.BuiltImage image = images.build(new ImageEngine.BuildRequest(context, build.dockerfile(), args, tag, labels),
                ctx::log);
        if (build.registry() == null || build.registry().isBlank()) {
            return Outputs.of("image", image.ref(), "imageId", image.id(), "digest", image.digest());
        }
        String remote = build.registry().replaceAll("/+$", "") + "/" + tag;
        String digest = images.push(image.id(), remote, null, ctx::log);
        return Outputs.of("image", remote, "imageId", image.id(), "digest", digest, "localImage", tag);
    }
}
