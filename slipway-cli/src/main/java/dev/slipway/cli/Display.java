package dev.slipway.cli;

/**
 * How a value someone typed is shown back in a message: control characters escaped (so a value cannot move the
 * cursor, recolour the terminal or fake a line of output) and long values cut, with their length said.
 */
final class Display {
    static final int SHOWN = 60;
    static final int SHOWN_PATH = 300;

    private Display() {
    }

    /** {@code s} escaped, and cut to its first {@value #SHOWN} characters plus {@code …(N chars)} when longer. */
    static String value(String s) {
        if (s == null) {
            return "(none)";
        }
        String head = s.length() > SHOWN ? s.substring(0, SHOWN) : s;
        return escape(head, false) + (s.length() > SHOWN ? "…(" + s.length() + " chars)" : "");
    }

    /** A path: escaped, and cut only when far longer than any real one ({@value #SHOWN_PATH} characters). */
    static String path(java.nio.file.Path p) {
        String s = p.toString();
        return escape(s.length() > SHOWN_PATH ? s.substring(0, SHOWN_PATH) : s, false)
                + (s.length() > SHOWN_PATH ? "…(" + s.length() + " chars)" : "");
    }

    /** A whole message: control characters escaped except line breaks, cut at {@code max} characters. */
    static String message(String s, int max) {
        String text = s == null ? "" : s;
        String head = text.length() > max ? text.substring(0, max) : text;
        return escape(head, true) + (text.length() > max ? "…(" + text.length() + " chars)" : "");
    }

    /** The first line of {@code s}, as {@link #message}. */
    static String line(String s, int max) {
        String text = s == null ? "" : s.strip();
        int nl = text.indexOf('\n');
        return message(nl < 0 ? text : text.substring(0, nl).strip(), max);
    }

    private static String escape(String s, boolean keepLines) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (keepLines && c == '\n') {
                b.append('\n');
            } else if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029) {
                b.append(String.format("\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
