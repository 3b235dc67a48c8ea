package dev.slipway.core.target;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a step produced, journaled with its success and handed to later steps (and to a resumed run). Values must be
 * plain facts (image digests, container ids, snapshot ids), never secrets.
 */
public record Outputs(Map<String, String> values) {
    public static final Outputs NONE = new Outputs(Map.of());

    public Outputs {
        values = Map.copyOf(values);
    }

    public static Outputs of(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("Outputs.of needs key/value pairs");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return new Outputs(map);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** The value, or an {@link IllegalStateException} naming the key: a missing output is a bug in the step that made it. */
    public String require(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalStateException("output '" + key + "' missing from " + values.keySet() + " (bug)");
        }
        return v;
    }
}
