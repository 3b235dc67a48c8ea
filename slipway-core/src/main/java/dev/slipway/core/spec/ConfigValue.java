package dev.slipway.core.spec;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A config value that may reference the environment as {@code ${env:NAME}}; {@code $${} stands for a literal
 * {@code ${}. References are resolved only when a run needs them; {@link #toString()} never shows a resolved value, so
 * a secret cannot leak through printing the spec. Values read from {@code slipway.yml} hold only well-formed
 * references (the loader refuses any other {@code ${}).
 */
public record ConfigValue(String template) {
    static final Pattern REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");
    /** A reference or the escape {@code $${}; the escape comes first so that {@code $${env:X}} is literal text. */
    private static final Pattern TOKEN = Pattern.compile("\\$\\$\\{|" + REF.pattern());

    public ConfigValue {
        Objects.requireNonNull(template, "template");
    }

    public static ConfigValue of(String template) {
        return new ConfigValue(template);
    }

    /** A value that is {@code text} exactly, whatever it contains (a commit name, a stage name). */
    public static ConfigValue literal(String text) {
        return new ConfigValue(text.replace("${", "$${"));
    }

    /** True when the value contains at least one {@code ${env:NAME}} reference, i.e. is treated as a secret. */
    public boolean isSecret() {
        return !references().isEmpty();
    }

    /** The names of the environment variables the value references, in order of first appearance, each once. */
    public List<String> references() {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        Matcher m = TOKEN.matcher(template);
        while (m.find()) {
            if (m.group(1) != null) {
                names.add(m.group(1));
            }
        }
        return List.copyOf(names);
    }

    /** Resolves every reference with {@code env}; a missing variable is a {@link SpecException} naming it and {@code path}. */
    public String resolve(UnaryOperator<String> env, String path) {
        Matcher m = TOKEN.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value;
            if (m.group(1) == null) {
                value = "${";
            } else {
                value = env.apply(m.group(1));
                if (value == null) {
                    throw new SpecException("environment", List.of(
                            path + ": environment variable " + m.group(1) + " is not set"));
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    @Override
    public String toString() {
        return template;
    }
}
