package dev.slipway.cli;

/** Who is asking, as far as the environment tells: the GitHub actor in Actions, else the login name. */
final class Who {
    /** Longer than any login or GitHub name; a name is journaled and shown, so it stays one short line. */
    static final int MAX = 100;

    private Who() {
    }

    /** A name given with {@code option}: 1 to {@value #MAX} characters, none of them a control character. */
    static String check(String option, String name) {
        if (name.isBlank() || name.length() > MAX || name.codePoints().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw new dev.slipway.core.SlipwayException(dev.slipway.core.ErrorCode.BAD_USAGE, option + " '" + Display.value(name)
                    + "' must be a name of 1 to " + MAX + " characters without control characters");
        }
        return name;
    }

    static String current() {
        for (String name : new String[] {"GITHUB_ACTOR", "USER", "LOGNAME"}) {
            String v = System.getenv(name);
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        String user = System.getProperty("user.name");
        return user == null || user.isBlank() ? "unknown" : user;
    }
}
