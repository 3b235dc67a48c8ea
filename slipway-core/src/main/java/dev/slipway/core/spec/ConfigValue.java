package dev.slipway.core.spec;

import java.util.Objects;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A config value that may reference the environment as {@code ${env:NAME}}. References are resolved only when a
 * run needs them; {@link #toString()} never shows a resolved value, so a secret cannot leak through printing the spec.
 */
public record ConfigValue(String template) {
    static final Pattern REF = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    public ConfigValue {
        Objects.requireNonNull(template, "template");
    }

    public static ConfigValue of(String template) {
        return new ConfigValue(template);
    }

    /** True when the value contains at least one {@code ${env:NAME}} reference, i.e. is treated as a secret. */
    public boolean isSecret() {
        return REF.matcher(template).find();
    }

    /** The names of the environment variables the value references, in order of first appearance, each once. */
    public java.util.List<String> references() {
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        Matcher m = REF.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return java.util.List.copyOf(names);
    }

    /** Resolves every reference with {@code env}; a missing variable is a {@link SpecException} naming it and {@code path}. */
    public String resolve(UnaryOperator<String> env, String path) {
        Matcher m = REF.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = env.apply(m.group(1));
            if (value == null) {
                throw new SpecException("environment", java.util.List.of(
                        path + ": environment variable " + m.group(1) + " is not set"));
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
