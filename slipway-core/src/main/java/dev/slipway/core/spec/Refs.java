package dev.slipway.core.spec;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks of {@code ${env:NAME}} references and of passwords written out in URLs. */
final class Refs {
    private static final Pattern QUERY_PASSWORD = Pattern.compile("(?i)[?&;]([a-z_]*password|pwd|passwd)=([^&;#]*)");
    /** Stands for a reference while a URL is taken apart: it contains none of the URL's delimiters. */
    private static final String HOLE = "\u0001";

    private Refs() {
    }

    /** The first {@code ${…} in {@code s} that is not a well-formed reference (nor the escape {@code $${}), or null. */
    static String malformed(String s) {
        Matcher ref = ConfigValue.REF.matcher(s);
        int i = 0;
        while ((i = s.indexOf('$', i)) >= 0) {
            if (s.startsWith("$${", i)) {
                i += 3;
            } else if (s.startsWith("${", i)) {
                ref.region(i, s.length());
                if (!ref.lookingAt()) {
                    int close = s.indexOf('}', i);
                    return close < 0 ? s.substring(i) : s.substring(i, close + 1);
                }
                i = ref.end();
            } else {
                i++;
            }
        }
        return null;
    }

    /**
     * Where {@code url} holds a password in plain text: a {@code user:password@} user-info or a {@code password=}
     * parameter whose value is not (or does not contain) a reference. {@code hostOnly} reads a value without
     * {@code scheme://} (such as a registry {@code host:port/prefix}) as starting with its authority. Null if none.
     */
    static String plainPassword(String url, boolean hostOnly) {
        String s = ConfigValue.REF.matcher(url.replace("$${", "$" + HOLE)).replaceAll(HOLE);
        int scheme = s.indexOf("://");
        int start = scheme >= 0 ? scheme + 3 : hostOnly ? 0 : -1;
        if (start >= 0) {
            int end = start;
            while (end < s.length() && "/?#".indexOf(s.charAt(end)) < 0) {
                end++;
            }
            String authority = s.substring(start, end);
            int at = authority.lastIndexOf('@');
            int colon = at < 0 ? -1 : authority.substring(0, at).indexOf(':');
            if (colon >= 0) {
                String password = authority.substring(colon + 1, at);
                if (!password.isEmpty() && !password.contains(HOLE)) {
                    return "user:password@ in the URL";
                }
            }
        }
        Matcher q = QUERY_PASSWORD.matcher(s);
        while (q.find()) {
            if (!q.group(2).isEmpty() && !q.group(2).contains(HOLE)) {
                return q.group(1) + "= in the URL";
            }
        }
        return null;
    }
}
