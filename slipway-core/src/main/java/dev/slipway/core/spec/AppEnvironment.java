package dev.slipway.core.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables a stage's app (and its migrations) get, unresolved: {@code STAGE}, {@code APP}, {@code APP_VERSION},
 * {@code DATABASE_URL}, {@code DATABASE_USER}, {@code DATABASE_PASSWORD}, {@code REDIS_URL} where configured, then
 * the stage's {@code environment}. Targets that must keep secrets out of what they write (an ECS task definition)
 * look at {@link Var#value()}{@code .isSecret()} before resolving.
 */
public final class AppEnvironment {
    /** One variable: its value as configured and the spec path that names it in messages. */
    public record Var(ConfigValue value, String path) {
    }

    private AppEnvironment() {
    }

    public static Map<String, Var> of(SlipwaySpec spec, StageSpec stage, String commit) {
        Map<String, Var> out = new LinkedHashMap<>();
        String prefix = "stages." + stage.name();
        out.put("STAGE", new Var(ConfigValue.literal(stage.name()), prefix));
        out.put("APP", new Var(ConfigValue.literal(spec.app()), "app"));
        out.put("APP_VERSION", new Var(ConfigValue.literal(commit), "commit"));
        DatabaseSpec db = stage.database();
        if (db != null) {
            put(out, "DATABASE_URL", db.url(), prefix + ".database.url");
            put(out, "DATABASE_USER", db.user(), prefix + ".database.user");
            put(out, "DATABASE_PASSWORD", db.password(), prefix + ".database.password");
        }
        put(out, "REDIS_URL", stage.redisUrl(), prefix + ".redis.url");
        stage.environment().forEach((k, v) -> put(out, k, v, prefix + ".environment." + k));
        return Collections.unmodifiableMap(out);
    }

    private static void put(Map<String, Var> out, String name, ConfigValue value, String path) {
        if (value != null) {
            out.put(name, new Var(value, path));
        }
    }
}
