package dev.slipway.core.spec;

import java.util.Map;
import java.util.Set;

/**
 * How the server's image is built.
 *
 * @param context    build context directory, relative to the directory holding {@code slipway.yml}
 * @param dockerfile Dockerfile or Containerfile, relative to the context
 * @param args       build arguments; values may reference {@code ${env:NAME}}
 * @param registry   optional registry to push to ({@code host:port/prefix}); null pushes nowhere (local target)
 * @param secrets    build secrets by id, for {@code RUN --mount=type=secret,id=ID}; values may reference {@code ${env:NAME}}
 */
public record BuildSpec(String context, String dockerfile, Map<String, ConfigValue> args, String registry,
                        Map<String, ConfigValue> secrets) {
    static final Set<String> KEYS = Set.of("context", "dockerfile", "args", "registry", "secrets");

    public BuildSpec {
        args = Map.copyOf(args);
        secrets = Map.copyOf(secrets);
    }

    /** A build without build secrets. */
    public BuildSpec(String context, String dockerfile, Map<String, ConfigValue> args, String registry) {
        this(context, dockerfile, args, registry, Map.of());
    }

    static BuildSpec read(Node n) {
        if (!n.present()) {
            n.problem("is required (at least build.context)");
            return new BuildSpec(".", "Dockerfile", Map.of(), null, Map.of());
        }
        n.mapping(KEYS);
        return new BuildSpec(n.string("context", ".", true), n.string("dockerfile", "Dockerfile", false),
                n.valueMap("args"), n.string("registry", null, false), n.valueMap("secrets"));
    }
}
