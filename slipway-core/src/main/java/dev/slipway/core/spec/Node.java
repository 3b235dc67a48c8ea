package dev.slipway.core.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
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
    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** Where {@code ${env:NAME}} is resolved; everywhere else a {@code ${} is refused rather than kept as text. */
    static final String REFERENCE_KEYS = "database, redis, state, stages.*.environment, build.secrets, migrations.command and metrics.grafana.token";
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
        return new Node(child, child(path, key), problems);
    }

    /** The path of {@code key} below {@code parent}; a key that is not a plain name is quoted, escaped and shortened. */
    static String child(String parent, String key) {
        String shownKey = PLAIN_KEY.matcher(key).matches() ? key : "\"" + shown(key, 40) + "\"";
        return parent.isEmpty() ? shownKey : parent + "." + shownKey;
    }

    /**
     * Text from the file as it may appear in a message: control characters escaped (a value must not steer the
     * terminal that shows the message) and at most {@code max} characters.
     */
    static String shown(String text, int max) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        for (; i < text.length() && out.length() < max; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return i == text.length() ? out.toString() : out + "… (" + text.length() + " characters)";
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

    /** A string that is used as written: a {@code ${} in it is refused, since nothing would resolve it. */
    String string(String key, String fallback, boolean required) {
        Node n = get(key);
        String s = n.text(required);
        if (s == null) {
            return fallback;
        }
        if (s.contains("${")) {
            n.problem("must not contain '${': ${env:NAME} references are resolved only in " + REFERENCE_KEYS);
            return fallback;
        }
        return s;
    }

    private String text(boolean required) {
        if (!present()) {
            if (required) {
                problem("is required");
            }
            return null;
        }
        if (!json.isValueNode() || json.asText().isBlank()) {
            problem("must be a non-empty string");
            return null;
        }
        return json.asText();
    }

    int integer(String key, int fallback, int min, int max) {
        Node n = get(key);
        if (!n.present()) {
            return fallback;
        }
        if (!n.json.isIntegralNumber()) {
            n.problem("must be a whole number, found " + n.describe());
            return fallback;
        }
        BigInteger v = n.json.bigIntegerValue();
        if (v.compareTo(BigInteger.valueOf(min)) < 0) {
            n.problem("must be at least " + min + ", found " + v);
            return fallback;
        }
        if (v.compareTo(BigInteger.valueOf(max)) > 0) {
            n.problem("must be at most " + max + ", found " + v);
            return fallback;
        }
        return v.intValueExact();
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

    /**
     * A duration between {@code min} and {@code max}, which keep every later use (deadlines, sleeps, lease expiry)
     * far from overflow; the amount is never converted unchecked.
     */
    Duration duration(String key, Duration fallback, Duration min, Duration max) {
        Node n = get(key);
        if (!n.present()) {
            return fallback;
        }
        String written = n.json.asText().trim();
        Matcher m = DURATION.matcher(written);
        if (!n.json.isValueNode() || !m.matches()) {
            n.problem("must be a duration like 500ms, 30s, 5m or 1h, found " + n.describe());
            return fallback;
        }
        String unit = m.group(2) == null ? "s" : m.group(2);
        long unitMillis = switch (unit) {
            case "ms" -> 1;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 1_000;
        };
        String digits = m.group(1).replaceFirst("^0+(?=\\d)", "");
        Duration d;
        try {
            d = digits.length() > 18 ? null : Duration.ofMillis(Math.multiplyExact(Long.parseLong(digits), unitMillis));
        } catch (ArithmeticException e) {
            d = null;
        }
        if (d == null || d.compareTo(max) > 0) {
            n.problem("must be at most " + format(max) + ", found " + shown(written, 40));
            return fallback;
        }
        if (d.isZero()) {
            n.problem("must be longer than zero");
            return fallback;
        }
        if (d.compareTo(min) < 0) {
            n.problem("must be at least " + format(min) + ", found " + shown(written, 40));
            return fallback;
        }
        return d;
    }

    /** A duration as it would be written in the file: the largest unit that divides it. */
    static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /** A list of plain strings; a single string stands for a list of one. */
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
            String s = string(key, null, false);
            if (s != null) {
                out.add(s);
            }
            return out;
        }
        if (!n.json.isArray()) {
            n.problem("must be a list of strings, found " + n.describe());
            return out;
        }
        for (int i = 0; i < n.json.size(); i++) {
            Node item = n.item(i);
            if (!item.json.isValueNode() || item.json.isNull()) {
                item.problem("must be a string");
            } else if (item.json.asText().contains("${")) {
                item.problem("must not contain '${': ${env:NAME} references are resolved only in " + REFERENCE_KEYS);
            } else {
                out.add(item.json.asText());
            }
        }
        return out;
    }

    /** An argv: a list (never one string, which would become one argument with spaces in it) of values. */
    List<ConfigValue> argv(String key, String example) {
        Node n = get(key);
        List<ConfigValue> out = new ArrayList<>();
        if (!n.present()) {
            n.problem("is required");
            return out;
        }
        if (!n.json.isArray()) {
            n.problem("must be a list like " + example + ", found " + n.describe());
            return out;
        }
        for (int i = 0; i < n.json.size(); i++) {
            Node item = n.item(i);
            if (!item.present() || !item.json.isValueNode()) {
                item.problem("must be a string");
            } else {
                ConfigValue v = item.checked(item.json.asText(), false);
                if (v != null) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    private Node item(int i) {
        return new Node(json.get(i), path + "[" + i + "]", problems);
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
                ConfigValue value = v.checked(v.json.asText(), false);
                if (value != null) {
                    out.put(name, value);
                }
            }
        }
        return out;
    }

    /** A value that may hold {@code ${env:NAME}}; {@code url} also refuses a password written into it. */
    ConfigValue value(String key, boolean required) {
        Node n = get(key);
        String s = n.text(required);
        return s == null ? null : n.checked(s, false);
    }

    /** Like {@link #value} for a URL: a password in it (user-info or a password parameter) must be a reference. */
    ConfigValue url(String key, boolean required) {
        Node n = get(key);
        String s = n.text(required);
        return s == null ? null : n.checked(s, true);
    }

    /** A plain URL (no references resolved): it must not carry credentials at all. */
    String plainUrl(String key, boolean hostOnly) {
        String s = string(key, null, false);
        if (s != null) {
            String where = Refs.plainPassword(s, hostOnly);
            if (where != null) {
                get(key).problem("must not hold a password in plain text (" + where + "); this key takes no "
                        + "${env:NAME}, so keep credentials out of it");
                return null;
            }
        }
        return s;
    }

    /** Checks the references in {@code s} and, in URLs, that no password is written out; null when refused. */
    private ConfigValue checked(String s, boolean url) {
        String bad = Refs.malformed(s);
        if (bad != null) {
            problem("holds a malformed reference '" + shown(bad, 40) + "'; write ${env:NAME} (NAME of letters, digits "
                    + "and '_', not starting with a digit), or $${ for a literal ${");
            return null;
        }
        String where = url || s.contains("://") ? Refs.plainPassword(s, false) : null;
        if (where != null) {
            problem("must not hold a password in plain text (" + where + "); use ${env:NAME}");
            return null;
        }
        return ConfigValue.of(s);
    }

    private String kind() {
        if (json.isObject()) {
            return "a mapping";
        }
        return json.isArray() ? "a list" : "'" + shown(json.asText(), 60) + "'";
    }

    private String describe() {
        return kind();
    }
}
