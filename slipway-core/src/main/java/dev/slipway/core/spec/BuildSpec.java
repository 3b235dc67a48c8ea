package dev.slipway.core.spec;

import java.util.Map;
import java.util.Set;

/**
 * How the server's image is built.
 *
 * @param context    build context directory, relative to the directory holding {@code slipway.yml}
 * @param dockerfile Dockerfile or Containerfile, relative to the context
 * @param args       build arguments, never secrets: they are stored in the image's history, so no value may reference
 *                   {@code ${env:NAME}}
 * @param registry   optional registry to push to ({@code host:port/prefix}); null pushes nowhere (local target)
 * @param secrets    build secrets by id; values may reference {@code ${env:NAME}}. The Dockerfile reads one with
 *                   {@code RUN --mount=type=secret,id=NAME}; they never become part of the image
 */
public record BuildSpec(String context, String dockerfile, Map<String, ConfigValue> args, String registry,
                        Map<String, ConfigValue> secrets) {
    static final Set<String> KEYS = Set.of("context", "dockerfile", "args", "registry", "secrets");

    public BuildSpec {
        args = Map.copyOf(args);
        secrets = Map.copyOf(secrets);
    }

    /** A build without secrets. */
    public BuildSpec(String context, String dockerfile, Map<String, ConfigValue> args, String registry) {
        this(context, dockerfile, args, registry, Map.of());
    }

    static BuildSpec read(Node n) {
        if (!n.present()) {
            n.problem("is required (at least build.context)");
            return new BuildSpec(".", "Dockerfile", Map.of(), null);
        }
        n.mapping(KEYS);
        Map<String, ConfigValue> args = n.valueMap("args");
        Node argsNode = n.get("args");
        args.forEach((name, value) -> {
            if (value.isSecret()) {
                argsNode.get(name).problem("must not reference ${env:…}: build arguments are kept in the image's "
                        + "history; pass it as build.secrets." + name + " instead and read it in the Dockerfile with "
                        + "RUN --mount=type=secret,id=" + name);
            }
        });
        return new BuildSpec(n.string("context", ".", true), n.string("dockerfile", "Dockerfile", false), args,
                n.plainUrl("registry", true), n.valueMap("secrets"));
    }
}
