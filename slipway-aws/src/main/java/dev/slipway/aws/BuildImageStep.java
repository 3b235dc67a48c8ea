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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.AuthorizationData;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryAlreadyExistsException;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * Builds the commit's image as the local target does (Docker Engine API, tag {@code app:commit}), makes sure the
 * stage's ECR repository exists, pushes the image there (or to the registry override) and records its digest.
 */
final class BuildImageStep {
    private final EcrClient ecr;
    private final Supplier<ImageEngine> images;
    private final EcsSettings settings;

    BuildImageStep(EcrClient ecr, Supplier<ImageEngine> images, EcsSettings settings) {
        this.ecr = ecr;
        this.images = images;
        this.settings = settings;
    }

    Outputs run(StepContext ctx) {
        Repository repo = ensureRepository(ctx);
        ImageEngine engine = images.get();
        BuildSpec build = ctx.spec().build();
        Map<String, String> args = new LinkedHashMap<>();
        build.args().forEach((k, v) -> args.put(k, ctx.resolve(v, "build.args." + k)));
        Path context = ctx.spec().baseDir().resolve(build.context());
        BuiltImage built = engine.build(new BuildRequest(context, build.dockerfile(), args,
                ImageRefs.local(ctx.spec().app(), ctx.commit()), labels(ctx)), ctx::log);
        String repository = settings.registryOverride() == null ? repo.repositoryUri()
                : settings.registryOverride() + "/" + repo.repositoryName();
        String target = repository + ":" + ImageRefs.tag(ctx.commit());
        RegistryAuth auth = settings.registryOverride() == null ? ecrAuth() : null;
        String digest = engine.push(built.ref(), target, auth, ctx::log);
        return Outputs.of("image", repository + "@" + digest, "digest", digest, "tag", target,
                "ecrRepository", repo.repositoryUri());
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

    private java.util.Optional<Repository> describe(String name) {
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

    private static Map<String, String> labels(StepContext ctx) {
        return Map.of("dev.slipway.app", ctx.spec().app(), "dev.slipway.commit", ctx.commit(),
                "dev.slipway.stage", ctx.stage().name(), "dev.slipway.run", String.valueOf(ctx.runId()));
    }
}
