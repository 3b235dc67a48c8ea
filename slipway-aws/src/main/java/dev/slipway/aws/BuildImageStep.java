package dev.slipway.aws;

import dev.slipway.core.spec.BuildSpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.TargetException;
import dev.slipway.images.ImageEngine;
import dev.slipway.images.ImageEngine.BuildRequest;
import dev.slipway.images.ImageEngine.BuiltImage;
import dev.slipway.images.ImageEngine.RegistryAuth;
import dev.slipway.images.ImageRefs;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * One image per commit, in the stage's ECR repository (or the registry override), recorded by digest. In this order:
 * the image the requester named ({@code deploy --image}, which must be in the repository); the newest earlier build of
 * the commit, if its digest is still there; the image the repository has under the commit's tag; only then a build of
 * the commit's tree ({@link StepContext#sourceDir()}) through the Docker Engine API and a push under that tag.
 */
final class BuildImageStep {
    private final EcrClient ecr;
    private final HttpClient registryHttp;
    private final Supplier<ImageEngine> images;
    private final EcsSettings settings;

    BuildImageStep(EcrClient ecr, HttpClient registryHttp, Supplier<ImageEngine> images, EcsSettings settings) {
        this.ecr = ecr;
        this.registryHttp = registryHttp;
        this.images = images;
        this.settings = settings;
    }

    Outputs run(StepContext ctx) {
        Optional<Repository> existing = describe(settings.spec().ecrRepository());
        if (existing.isEmpty() && ctx.requestedImage().isEmpty() && settings.registryOverride() == null) {
            // a new ECR repository holds no image, so this run builds: no engine fails it now, before CreateRepository
            images.get();
        }
        Repository repo = existing.orElseGet(() -> ensureRepository(ctx));
        StageImages stored = stored(repo);
        String tag = ImageRefs.tag(ctx.commit());
        if (ctx.requestedImage().isPresent()) {
            return outputs(stored, repo, requested(ctx, stored, ctx.requestedImage().get()), "requested", null);
        }
        String target = stored.reference() + ":" + tag;
        Optional<String> earlier = earlierBuild(ctx, stored);
        if (earlier.isPresent()) {
            return outputs(stored, repo, earlier.get(), "earlier-build", target);
        }
        Optional<String> tagged = stored.digestOf(tag);
        if (tagged.isPresent()) {
            ctx.log(target + " exists (" + tagged.get() + "): the commit's image is built already; reusing it");
            return outputs(stored, repo, tagged.get(), "repository-tag", target);
        }
        return outputs(stored, repo, buildAndPush(ctx, stored, target), "built", target);
    }

    /** Where the stage's images are: its ECR repository, or that name on the registry override. */
    StageImages stored(Repository repo) {
        return settings.registryOverride() == null ? new EcrImages(ecr, repo)
                : new RegistryImages(registryHttp, settings.registryOverride(), repo.repositoryName());
    }

    private static Outputs outputs(StageImages stored, Repository repo, String digest, String from, String tag) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("image", stored.reference() + "@" + digest);
        out.put("digest", digest);
        if (tag != null) {
            out.put("tag", tag);
        }
        out.put("ecrRepository", repo.repositoryUri());
        out.put("imageFrom", from);
        return new Outputs(out);
    }

    /** The digest of {@code deploy --image REF@sha256:…}, once the stage's repository is seen to hold it. */
    private static String requested(StepContext ctx, StageImages stored, String ref) {
        int at = ref.indexOf('@');
        String digest = at < 0 ? "" : ref.substring(at + 1);
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw TargetException.permanent("--image " + ref + " names no digest; give REF@sha256:<64 hex digits>");
        }
        if (!stored.has(digest)) {
            throw TargetException.permanent("--image " + ref + ": repository " + stored.reference() + " has no image "
                    + digest + ", and the stage's tasks pull from there. Push it there first, or deploy without --image");
        }
        ctx.log("deploying the requested image " + stored.reference() + "@" + digest + " (nothing is built)");
        return digest;
    }

    private static Optional<String> earlierBuild(StepContext ctx, StageImages stored) {
        Optional<String> digest = ctx.earlierBuild().flatMap(o -> o.get("digest")).filter(d -> !d.isBlank());
        if (digest.isEmpty()) {
            return Optional.empty();
        }
        if (!stored.has(digest.get())) {
            ctx.log("an earlier build of " + ctx.commit() + " made " + digest.get() + ", which " + stored.reference()
                    + " no longer holds");
            return Optional.empty();
        }
        ctx.log("reusing the earlier build of " + ctx.commit() + ": " + stored.reference() + "@" + digest.get()
                + " (one image per commit; nothing is built or pushed)");
        return digest;
    }

    private String buildAndPush(StepContext ctx, StageImages stored, String target) {
        ImageEngine engine = images.get();
        BuildSpec build = ctx.spec().build();
        Map<String, String> args = new LinkedHashMap<>();
        build.args().forEach((k, v) -> args.put(k, ctx.resolve(v, "build.args." + k)));
        Map<String, String> secrets = new LinkedHashMap<>();
        build.secrets().forEach((k, v) -> secrets.put(k, ctx.resolve(v, "build.secrets." + k)));
        BuiltImage built = engine.build(new BuildRequest(ctx.sourceDir().resolve(build.context()), build.dockerfile(), args,
                ImageRefs.local(ctx.spec().app(), ctx.commit()), labels(ctx), secrets), ctx::log);
        RegistryAuth auth = settings.registryOverride() == null ? ecrAuth() : null;
        try {
            return engine.push(built.ref(), target, auth, ctx::log);
        } catch (TargetException e) {
            throw refused(stored, target, e);
        }
    }

    /**
     * A push refused while the repository has the tag: an immutable repository (ECR's ImageTagAlreadyExistsException)
     * where someone pushed the commit's tag after this run looked for it. That image was not checked to hold the
     * commit's tree, so it is not taken; the run stops before anything changes and says what to do.
     */
    private static TargetException refused(StageImages stored, String target, TargetException e) {
        String tag = ImageRefs.tagOf(target);
        Optional<String> there = stored.digestOf(tag);
        if (there.isEmpty()) {
            return e;
        }
        return TargetException.permanent("push of " + target + " was refused (" + e.getMessage() + "): the repository "
                + "got tag " + tag + " at " + there.get() + " from someone else after this run looked for it, and its tags "
                + "cannot be overwritten. To deploy that image, deploy again (the commit's tag is then reused) or deploy "
                + "--image " + stored.reference() + "@" + there.get() + "; else delete the tag and deploy again", e);
    }

    private Repository ensureRepository(StepContext ctx) {
        String name = settings.spec().ecrRepository();
        return describe(name).orElseGet(() -> {
            ctx.log("ECR repository " + name + " does not exist; creating it");
            return AwsCalls.callOrMissing("CreateRepository " + name, () -> ecr.createRepository(b -> b.repositoryName(name)
                            .tags(t -> t.key("slipway:app").value(ctx.spec().app()))).repository(),
                    RepositoryAlreadyExistsException.class).or(() -> describe(name)).orElseThrow();
        });
    }

    /** The stage's ECR repository, if it exists; reads only (for the plan too). */
    Optional<Repository> describe(String name) {
        return AwsCalls.callOrMissing("DescribeRepositories " + name, () -> ecr.describeRepositories(b -> b
                .repositoryNames(name)).repositories().get(0), RepositoryNotFoundException.class);
    }

    private RegistryAuth ecrAuth() {
        AuthorizationData data = AwsCalls.call("GetAuthorizationToken (ECR)", () -> ecr.getAuthorizationToken())
                .authorizationData().stream().findFirst()
                .orElseThrow(() -> TargetException.permanent("ECR returned no authorization data; check ecr:GetAuthorizationToken"));
        String decoded = new String(Base64.getDecoder().decode(data.authorizationToken()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        return new RegistryAuth(data.proxyEndpoint(), decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    /** The commit's labels; never the run's or the stage's, so that every build of a commit describes the same image. */
    private static Map<String, String> labels(StepContext ctx) {
        return Map.of("dev.slipway.app", ctx.spec().app(), "dev.slipway.commit", ctx.commit());
    }
}
