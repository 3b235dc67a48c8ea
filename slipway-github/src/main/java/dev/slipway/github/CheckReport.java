package dev.slipway.github;

import java.util.List;

/**
 * The outcome of {@link ProtectionCheck}: one row per rule that keeps production safe.
 *
 * @param repository         {@code owner/name}
 * @param rows               each rule and whether it holds
 * @param fixed              what {@code --fix} changed (empty without it)
 * @param githubUnavailable  whether GitHub could not be reached for some rows (they are {@link Result#UNKNOWN})
 */
public record CheckReport(String repository, List<Row> rows, List<String> fixed, boolean githubUnavailable) {
    /** Whether a rule holds; UNKNOWN when it could not be read (token without access, or GitHub down). */
    public enum Result {
        PASS, FAIL, UNKNOWN
    }

    /** One rule: what is checked, the result, and what was found or what to do. */
    public record Row(String check, Result result, String detail) {
    }

    public CheckReport {
        rows = List.copyOf(rows);
        fixed = List.copyOf(fixed);
    }

    /** True only when every rule was read and holds. */
    public boolean passed() {
        return !rows.isEmpty() && rows.stream().allMatch(r -> r.result() == Result.PASS);
    }

    /** Whether some rule was read and does not hold. */
    public boolean anyFailed() {
        return rows.stream().anyMatch(r -> r.result() == Result.FAIL);
    }

    /** A plain-text table for a terminal, ending with a one-line verdict. */
    public String render() {
        int width = rows.stream().mapToInt(r -> r.check().length()).max().orElse(10);
        StringBuilder out = new StringBuilder("Production protection of " + repository + "\n");
        out.append(String.format("  %-7s  %-" + width + "s  %s%n", "RESULT", "CHECK", "DETAIL"));
        for (Row r : rows) {
            out.append(String.format("  %-7s  %-" + width + "s  %s%n", label(r.result()), r.check(), r.detail()));
        }
        for (String f : fixed) {
            out.append("  fixed: ").append(f).append('\n');
        }
        long failed = rows.stream().filter(r -> r.result() != Result.PASS).count();
        out.append(passed() ? "passed: production is protected\n"
                : "FAILED: " + failed + " of " + rows.size() + " checks did not pass"
                + (githubUnavailable ? " (GitHub could not be reached for some)" : "") + "\n");
        return out.toString();
    }

    private static String label(Result r) {
        return switch (r) {
            case PASS -> "pass";
            case FAIL -> "FAIL";
            case UNKNOWN -> "UNKNOWN";
        };
    }
}
