package dev.slipway.aws;

import dev.slipway.core.spec.BuildSpec;
import dev.slipway.core.target.Outputs;
import dev.slipway.core.target.StepContext;
import dev.slipway.core.target.StepName;
import dev.slipway.core.target.TargetException;
import dev.slipway.images.ImageEngine;
import dev.slipway.images.ImageEngine.BuildRequest;
import dev.slipway.images.ImageEngine.BuiltImage;
import dev.slipway.images.ImageEngine.RegistryAuth;
import dev.slipway.images.ImageRefs;
import java.net.URI;
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
 * the image the requester named ({@code deploy --image}: in the repository, or copied there by digest from another
 * repository of the same registry, see {@link ImageCopy}; another registry's is refused before the run is queued,
 * {@link #refusal}); the newest earlier build of
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
            PinnedImage wanted = PinnedImage.parse(ctx.requestedImage().get());
            if (!stored.has(wanted.digest()) && sameRegistry(wanted, stored)
                    && !wanted.repository().equals(PinnedImage.nameOf(stored.reference()))) {
                String runTag = runTag(ctx);
                copy(stored, wanted, runTag, ctx);
                return outputs(stored, repo, requested(ctx, stored, wanted.ref()), "copied", stored.reference() + ":" + runTag);
            }
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

    /**
     * Why {@code deploy --image ref} cannot be deployed to this stage, asked before the run is queued (reads only): an
     * image on another registry that the stage's repository does not hold. Its tasks pull from the stage's repository,
     * and Slipway copies only within one registry (other registries need other credentials, and the bytes would cross
     * through this machine), so it says how to put the image there instead.
     */
    Optional<String> refusal(String stage, String ref) {
        PinnedImage wanted = PinnedImage.parse(ref);
        Optional<Repository> existing = describe(settings.spec().ecrRepository());
        String stageRegistry = settings.registryOverride() != null ? settings.registryOverride().toLowerCase(java.util.Locale.ROOT)
                : existing.map(r -> PinnedImage.registryOf(r.repositoryUri())).orElseGet(this::ecrRegistry);
        String target = stageRegistry + "/" + settings.spec().ecrRepository();
        boolean held = existing.isPresent() && stored(existing.get()).has(wanted.digest());
        if (held || wanted.registry().equals(stageRegistry) && !wanted.repository().equals(settings.spec().ecrRepository())) {
            return Optional.empty(); // in the stage's repository, or in another one of its registry: the build step copies it
        }
        if (wanted.registry().equals(stageRegistry)) {
            return Optional.of("--image " + ref + ": repository " + target + " has no image " + wanted.digest() + ", and stage "
                    + stage + "'s tasks pull from there. Push it there first, or deploy without --image. Nothing was changed");
        }
        return Optional.of("--image " + ref + " is on registry " + wanted.registry() + ", but stage " + stage + "'s tasks pull from "
                + target + ", which has no image " + wanted.digest() + "; Slipway copies an image only from another repository"
                + " of " + stageRegistry + ". Copy it there first (e.g. skopeo copy docker://" + ref + " docker://" + target
                + ":TAG, or crane copy), then deploy --image " + target + "@" + wanted.digest() + ". Nothing was changed");
    }

    private static boolean sameRegistry(PinnedImage wanted, StageImages stored) {
        return wanted.registry().equals(PinnedImage.registryOf(stored.reference()));
    }

    /** The tag a copied image gets in the stage's repository: the run's identity, so it is this run's and no other's. */
    private static String runTag(StepContext ctx) {
        return "slipway-run-" + ctx.runKey();
    }

    private void copy(StageImages stored, PinnedImage wanted, String tag, StepContext ctx) {
        String registry = PinnedImage.registryOf(stored.reference());
        String authorization = null;
        if (settings.registryOverride() == null) {
            RegistryAuth auth = ecrAuth();
            authorization = "Basic " + Base64.getEncoder().encodeToString((auth.username() + ":" + auth.password())
                    .getBytes(StandardCharsets.UTF_8));
        }
        new ImageCopy(registryHttp, registry, authorization).copy(wanted.repository(), PinnedImage.nameOf(stored.reference()),
                wanted.digest(), tag, ctx::log);
    }

    /** The host of this account's ECR registry in the stage's region (from GetAuthorizationToken; reads only). */
    private String ecrRegistry() {
        String endpoint = ecrAuth().serverAddress();
        return URI.create(endpoint.contains("://") ? endpoint : "https://" + endpoint).getAuthority().toLowerCase(java.util.Locale.ROOT);
    }

    /** The digest of {@code deploy --image REF@sha256:…}, once the stage's repository is seen to hold it. */
    private static String requested(StepContext ctx, StageImages stored, String ref) {
        int at = ref.indexOf('@');
        String digest = at < 0 ? "" : ref.substring(at + 1);
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw TargetException.permanent("--image " + ref + " names no digest; give REF@sha256:<64 hex digits>");
        }
        if (!stored.has(digest) && ctx.step() == StepName.PROMOTE) {
            throw TargetException.permanent("the image to promote, " + ref + ", is no longer in repository " + stored.reference()
                    + " (deleted since the source stage verified it, or this stage deploys to another account), and the stage's tasks pull from there. A promoting stage"
                    + " never builds: deploy commit " + ctx.commit() + " to the source stage again, then to this stage");
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
