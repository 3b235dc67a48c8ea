package dev.slipway.core.engine;

import dev.slipway.core.Redact;
import dev.slipway.core.spec.ConfigValue;
import dev.slipway.core.spec.SlipwaySpec;
import dev.slipway.core.spec.StageSpec;
import dev.slipway.core.spec.SpecException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Masks secrets in text before it is journaled or shown: every value an {@code ${env:NAME}} reference resolved to and
 * every whole resolved value, wherever it appears in the text (inside a longer line too), plus the credentials of any
 * URL in it ({@link Redact}). Values shorter than {@link #MIN_LENGTH} are not masked: masking "db" or "1" would
 * wreck every line; a password or build secret that short is refused when it is resolved (see {@link #refuseShort}).
 * Where secrets overlap in a text, the whole stretch they cover is masked as one.
 */
final class Masker {
    static final int MIN_LENGTH = 4;
    private final Set<String> secrets = ConcurrentHashMap.newKeySet();

    /** A masker that knows, up front, every secret {@code spec} takes from {@code env}: before any step resolves one. */
    static Masker of(SlipwaySpec spec, UnaryOperator<String> env) {
        Masker m = new Masker();
        values(spec).filter(ConfigValue::isSecret).forEach(v -> {
            v.references().forEach(name -> m.add(env.apply(name)));
            try {
                m.add(v.resolve(env, "-"));
            } catch (SpecException missing) {
                // a variable that is not set holds nothing to mask; the step that needs it says it is missing
            }
        });
        return m;
    }

    void add(String secret) {
        if (secret != null && secret.length() >= MIN_LENGTH) {
            secrets.add(secret);
        }
    }

    /** Adds what {@code value} resolved to, and the value of every variable it references. */
    void add(ConfigValue value, UnaryOperator<String> env, String resolved) {
        value.references().forEach(name -> add(env.apply(name)));
        add(resolved);
    }

    String mask(String text) {
        if (text == null) {
            return null;
        }
        return Redact.text(maskSecrets(text));
    }

    private String maskSecrets(String text) {
        List<int[]> hits = new ArrayList<>();
        for (String s : secrets) {
            for (int at = text.indexOf(s); at >= 0; at = text.indexOf(s, at + 1)) {
                hits.add(new int[] {at, at + s.length()});
            }
        }
        if (hits.isEmpty()) {
            return text;
        }
        hits.sort(Comparator.comparingInt(h -> h[0]));
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        int i = 0;
        while (i < hits.size()) {
            int start = hits.get(i)[0];
            int end = hits.get(i)[1];
            for (i++; i < hits.size() && hits.get(i)[0] <= end; i++) {
                end = Math.max(end, hits.get(i)[1]);
            }
            out.append(text, copied, start).append(Redact.MASK);
            copied = end;
        }
        return out.append(text, copied, text.length()).toString();
    }

    /**
     * Refuses a secret too short to be masked: {@code resolved} of a password or build secret ({@code path} ends in
     * {@code password} or starts with {@code build.secrets.}) of 1 to {@code MIN_LENGTH - 1} characters. Empty is no
     * secret (no password); other values from the environment (a host name, a port) may be short and stay unmasked.
     */
    static void refuseShort(String path, String resolved) {
        boolean secretByNature = path.endsWith("password") || path.startsWith("build.secrets.");
        if (secretByNature && !resolved.isEmpty() && resolved.length() < MIN_LENGTH) {
            throw new SpecException("environment", List.of(path + ": the value from the environment is "
                    + resolved.length() + " character(s) long; a secret shorter than " + MIN_LENGTH
                    + " characters cannot be masked in output, so Slipway refuses it: use a longer one"));
        }
    }

    /** Every value of {@code spec} that may reference the environment. */
    private static Stream<ConfigValue> values(SlipwaySpec spec) {
        List<ConfigValue> out = new ArrayList<>(spec.build().args().values());
        out.addAll(spec.build().secrets().values());
        if (spec.migrations() != null) {
            out.addAll(spec.migrations().argv());
        }
        if (spec.state() != null) {
            out.addAll(Stream.of(spec.state().url(), spec.state().user(), spec.state().password()).toList());
        }
        if (spec.metrics().grafana() != null) {
            out.add(spec.metrics().grafana().token());
        }
        for (StageSpec stage : spec.stages().values()) {
            out.addAll(stage.environment().values());
            out.add(stage.redisUrl());
            if (stage.database() != null) {
                out.addAll(Stream.of(stage.database().url(), stage.database().user(), stage.database().password()).toList());
            }
        }
        return out.stream().filter(Objects::nonNull);
    }
}
