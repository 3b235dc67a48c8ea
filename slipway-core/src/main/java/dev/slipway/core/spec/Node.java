package dev.slipway.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A cursor over the YAML tree that knows its path and records problems instead of throwing, so all are reported at once. */
final class Node {
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
    private final JsonNode json;
    private final String path;
    private final List<String> problems;

    Node(JsonNode json, String path, List<String> problems) {
        this.json = json;
        this.path = path;
        this.problems = problems;
    }

    boolean present() {
        return json != null && !json.isNull() && !json.isMissingNode();
    }

    String path() {
        return path;
    }

    Node get(String key) {
        JsonNode child = json == null || !json.isObject() ? null : json.get(key);
        return new Node(child, path.isEmpty() ? key : path + "." + key, problems);
    }

    void problem(String message) {
        problems.add((path.isEmpty() ? "(top level)" : path) + ": " + message);
    }

    /** Checks this is a mapping and that it has only {@code allowed} keys; reports the others with a suggestion. */
    boolean mapping(Set<String> allowed) {
        if (!present()) {
            return false;
        }
        if (!json.isObject()) {
            problem("must be a mapping, found " + kind());
            return false;
        }
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                get(key).problem("unknown key" + Suggest.didYouMean(key, allowed));
            }
        }
        return true;
    }

    List<String> keys() {
        List<String> keys = new ArrayList<>();
        if (present() && json.isObject()) {
            json.fieldNames().forEachRemaining(keys::add);
        }
        return keys;
    }

    String string(String key, String fallback, boolean required) {
        Node n = get(key);
        if (!n.present()) {
            if (required) {
                n.problem("is required");
            }
            return fallback;
        }
        if (!n.json.isValueNode() || n.json.asText().isBlank()) {
            n.problem("must be a non-empty string");
            return fallback;
        }
        return n.json.asText();
    }

    int integer(String key, int fallback, int min, int max) {
        Node n = get(key);
        if (!n.present()) {
            return fallback;
        }
        if (!n.json.canConvertToInt() || !n.json.isIntegralNumber()) {
            n.problem("must be a whole number, found " + n.describe());
            return fallback;
        }
        int v = n.json.asInt();
        if (v < min) {
            n.problem("must be at least " + min + ", found " + v);
        } else if (v > max) {
            n.problem("must be at most " + max + ", found " + v);
        }
        return v;
    }

    boolean bool(String key, boolean fallback) {
        Node n = get(key);
        if (!n.present()) {
            return fallback;
        }
        if (!n.json.isBoolean()) {
            n.problem("must be true or false, found " + n.describe());
            return fallback;
        }
        return n.json.asBoolean();
    }

    Duration duration(String key, Duration fallback) {
        Node n = get(key);
        if (!n.present()) {
            return fallback;
        }
        Matcher m = DURATION.matcher(n.json.asText().trim());
        if (!n.json.isValueNode() || !m.matches()) {
            n.problem("must be a duration like 500ms, 30s, 5m or 1h, found " + n.describe());
            return fallback;
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        Duration d = switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
        if (d.isZero()) {
            n.problem("must be longer than zero");
            return fallback;
        }
        return d;
    }

    List<String> stringList(String key, boolean required) {
        Node n = get(key);
        List<String> out = new ArrayList<>();
        if (!n.present()) {
            if (required) {
                n.problem("is required");
            }
            return out;
        }
        if (n.json.isTextual()) {
            out.add(n.json.asText());
            return out;
        }
        if (!n.json.isArray()) {
            n.problem("must be a list of strings, found " + n.describe());
            return out;
        }
        for (int i = 0; i < n.json.size(); i++) {
            JsonNode item = n.json.get(i);
            if (!item.isValueNode() || item.isNull()) {
                new Node(item, n.path + "[" + i + "]", problems).problem("must be a string");
            } else {
                out.add(item.asText());
            }
        }
        return out;
    }

    /** A mapping of names to scalar values (environment, build args); values may hold {@code ${env:NAME}}. */
    Map<String, ConfigValue> valueMap(String key) {
        Node n = get(key);
        Map<String, ConfigValue> out = new LinkedHashMap<>();
        if (!n.present()) {
            return out;
        }
        if (!n.json.isObject()) {
            n.problem("must be a mapping of NAME: value, found " + n.describe());
            return out;
        }
        for (String name : n.keys()) {
            Node v = n.get(name);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                v.problem("is not a valid variable name");
            } else if (!v.present() || !v.json.isValueNode()) {
                v.problem("must be a string, number or boolean");
            } else {
                out.put(name, ConfigValue.of(v.json.asText()));
            }
        }
        return out;
    }

    ConfigValue value(String key, boolean required) {
        String s = string(key, null, required);
        return s == null ? null : ConfigValue.of(s);
    }

    private String kind() {
        if (json.isObject()) {
            return "a mapping";
        }
        return json.isArray() ? "a list" : "'" + json.asText() + "'";
    }

    private String describe() {
        return kind();
    }
}
