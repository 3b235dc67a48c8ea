package dev.slipway.cli;

/** Who is asking, as far as the environment tells: the GitHub actor in Actions, else the login name. */
final class Who {
    private Who() {
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
