package dev.slipway.core;

import java.util.regex.Pattern;

/**
 * Takes credentials out of URLs, and out of text that may quote one (a JDBC driver's error message, say), before it
 * is printed or journaled: the password of a URL's user-info ({@code scheme://user:pw@host}) and the value of every
 * parameter whose name says it holds a credential ({@code password=}, {@code sslpassword=}, {@code token=},
 * {@code secret=}, …, after {@code ?}, {@code &} or {@code ;}). The rest stays readable.
 */
public final class Redact {
    /** What a credential is replaced with. */
    public static final String MASK = "****";
    // user-info up to the last '@' before the host: an unencoded '@' in a password must not show its tail
    private static final Pattern USER_INFO = Pattern.compile("(://[^\\s/?#:@]*):[^\\s/?#]*@");
    private static final Pattern CREDENTIAL_PARAM = Pattern.compile(
            "(?i)([?&;][\\w.-]*(?:password|passwd|pwd|secret|token|credential)[\\w.-]*=)[^&;\\s\"']*");

    private Redact() {
    }

    /** {@code url} with its credentials masked; null stays null. */
    public static String url(String url) {
        return text(url);
    }

    /** {@code text} with the credentials of every URL in it, and every credential parameter, masked; null stays null. */
    public static String text(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = USER_INFO.matcher(text).replaceAll("$1:" + MASK + "@");
        return CREDENTIAL_PARAM.matcher(out).replaceAll("$1" + MASK);
    }
}
