package dev.slipway.aws;

import dev.slipway.core.spec.ConfigValue;
import dev.slipway.core.spec.DatabaseSpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.target.StepContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The app environment written into a task definition. A task definition's {@code environment} is readable by anyone
 * who may describe it, so values that come from {@code ${env:…}} (secrets) are not written there: the template must
 * take them from Secrets Manager or SSM through its container's {@code secrets}.
 *
 * @param plain   names and values to put into {@code environment}
 * @param secrets names of secret variables the template must provide through {@code secrets}
 */
record TaskEnvironment(Map<String, String> plain, List<String> secrets) {
    TaskEnvironment {
        plain = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(plain));
        secrets = List.copyOf(new TreeSet<>(secrets));
    }

    static TaskEnvironment of(StepContext ctx) {
        StageSpec stage = ctx.stage();
        String prefix = "stages." + stage.name();
        Map<String, String> plain = new LinkedHashMap<>();
        TreeSet<String> secrets = new TreeSet<>();
        plain.put("STAGE", stage.name());
        plain.put("APP", ctx.spec().app());
        plain.put("APP_VERSION", ctx.commit());
        DatabaseSpec db = stage.database();
        if (db != null) {
            put(ctx, plain, secrets, "DATABASE_URL", db.url(), prefix + ".database.url");
            put(ctx, plain, secrets, "DATABASE_USER", db.user(), prefix + ".database.user");
            put(ctx, plain, secrets, "DATABASE_PASSWORD", db.password(), prefix + ".database.password");
        }
        put(ctx, plain, secrets, "REDIS_URL", stage.redisUrl(), prefix + ".redis.url");
        stage.environment().forEach((k, v) -> put(ctx, plain, secrets, k, v, prefix + ".environment." + k));
        return new TaskEnvironment(plain, List.copyOf(secrets));
    }

    private static void put(StepContext ctx, Map<String, String> plain, TreeSet<String> secrets, String name,
                            ConfigValue value, String path) {
        if (value == null) {
            return;
        }
        if (value.isSecret()) {
            secrets.add(name);
        } else {
            plain.put(name, ctx.resolve(value, path));
        }
    }
}
