package dev.slipway.images;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The exclusion rules of a {@code .dockerignore} file, with Docker's semantics: {@code #} comments, {@code !}
 * exceptions, the last matching line wins, a pattern that matches a directory excludes everything below it, and
 * {@code **} matches any number of directories. (docker-java's own scanner differs on the last two points.)
 */
final class IgnoreRules {
    private record Rule(Pattern regex, int depth, boolean exception) {
    }

    private final List<Rule> rules;

    private IgnoreRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    static IgnoreRules parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exception = line.startsWith("!");
            String pattern = clean(exception ? line.substring(1).strip() : line);
            if (!pattern.isEmpty()) {
                rules.add(new Rule(Pattern.compile(toRegex(pattern)), pattern.split("/").length, exception));
            }
        }
        return new IgnoreRules(rules);
    }

    /** Whether {@code path} (relative to the context, '/'-separated) is left out of the build context. */
    boolean excludes(String path) {
        String[] parts = path.split("/");
        boolean excluded = false;
        for (Rule rule : rules) {
            if (matches(rule, path, parts)) {
                excluded = !rule.exception();
            }
        }
        return excluded;
    }

    private static boolean matches(Rule rule, String path, String[] parts) {
        if (rule.regex().matcher(path).matches()) {
            return true;
        }
        // a pattern matching one of the path's parent directories excludes the path too
        int parentDepth = parts.length - 1;
        if (parentDepth < 1) {
            return false;
        }
        String prefix = String.join("/", java.util.Arrays.copyOf(parts, Math.min(rule.depth(), parentDepth)));
        return rule.regex().matcher(prefix).matches();
    }

    /** Like Go's {@code filepath.Clean} for relative patterns, minus a leading '/'. */
    static String clean(String pattern) {
        List<String> out = new ArrayList<>();
        for (String part : pattern.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..") && !out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                out.remove(out.size() - 1);
            } else {
                out.add(part);
            }
        }
        return String.join("/", out);
    }

    static String toRegex(String pattern) {
        StringBuilder re = new StringBuilder("^");
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                        i++;
                    }
                    re.append(i + 1 >= pattern.length() ? ".*" : "(.*/)?");
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '[') {
                int end = pattern.indexOf(']', i + 1);
                if (end < 0) {
                    re.append("\\[");
                } else {
                    String cls = pattern.substring(i + 1, end);
                    re.append('[').append(cls.startsWith("^") || cls.startsWith("!") ? "^" + cls.substring(1) : cls).append(']');
                    i = end;
                }
            } else if (c == '\\' && i + 1 < pattern.length()) {
                re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.append('$').toString();
    }
}
