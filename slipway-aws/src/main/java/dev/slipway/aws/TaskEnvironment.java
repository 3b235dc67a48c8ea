package dev.slipway.aws;

import dev.slipway.core.spec.AppEnvironment;
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

    /** The names of {@code stage}'s variables that come from {@code ${env:…}}, without resolving anything. */
    static List<String> secretsOf(dev.slipway.core.spec.SlipwaySpec spec, dev.slipway.core.spec.StageSpec stage) {
        TreeSet<String> secrets = new TreeSet<>();
        AppEnvironment.of(spec, stage, "unknown").forEach((name, v) -> {
            if (v.value().isSecret()) {
                secrets.add(name);
            }
        });
        return List.copyOf(secrets);
    }

    static TaskEnvironment of(StepContext ctx) {
        Map<String, String> plain = new LinkedHashMap<>();
        TreeSet<String> secrets = new TreeSet<>();
        AppEnvironment.of(ctx.spec(), ctx.stage(), ctx.commit()).forEach((name, v) -> {
            if (v.value().isSecret()) {
                secrets.add(name);
            } else {
                plain.put(name, ctx.resolve(v.value(), v.path()));
            }
        });
        return new TaskEnvironment(plain, List.copyOf(secrets));
    }
}
