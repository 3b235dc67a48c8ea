package dev.slipway.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Numbers typed on the command line, range-checked while picocli reads them, so a bad one is a usage error (exit 2). */
final class Numbers {
    /** The most runs one listing shows. */
    static final int MAX_LIMIT = 10_000;

    private Numbers() {
    }

    /** A run number: a whole number from 1 up (the journal numbers runs from 1). */
    static final class RunNumber implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parse(value, Long.MAX_VALUE, "a run number: a whole number from 1 up, as slipway runs shows it");
        }
    }

    /** {@code --limit}: 1 to {@value #MAX_LIMIT}. */
    static final class Limit implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return (int) parse(value, MAX_LIMIT, "a whole number from 1 to " + MAX_LIMIT);
        }
    }

    /** The longest {@code --since} window, in days: ten years. */
    static final int MAX_WINDOW_DAYS = 3650;

    /** {@code --since}: a whole number of days, hours or minutes ({@code 30d}, {@code 12h}, {@code 90m}), 1m to ten years. */
    static final class Window implements ITypeConverter<java.time.Duration> {
        @Override
        public java.time.Duration convert(String value) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,7})([dhm])").matcher(value.strip());
            String what = "a window like 30d, 12h or 90m (whole days, hours or minutes, at most " + MAX_WINDOW_DAYS + "d)";
            if (!m.matches()) {
                throw new TypeConversionException("'" + Display.value(value) + "' is not " + what);
            }
            long n = Long.parseLong(m.group(1));
            java.time.Duration d = switch (m.group(2)) {
                case "d" -> java.time.Duration.ofDays(n);
                case "h" -> java.time.Duration.ofHours(n);
                default -> java.time.Duration.ofMinutes(n);
            };
            if (n < 1 || d.compareTo(java.time.Duration.ofDays(MAX_WINDOW_DAYS)) > 0) {
                throw new TypeConversionException("'" + Display.value(value) + "' is not " + what);
            }
            return d;
        }
    }

    private static long parse(String value, long max, String what) {
        String v = value.strip();
        long n;
        try {
            n = v.matches("\\+?[0-9]{1,19}") ? Long.parseLong(v) : -1;
        } catch (NumberFormatException e) { // 19 digits past Long.MAX_VALUE
            n = -1;
        }
        if (n < 1 || n > max) {
            throw new TypeConversionException("'" + Display.value(value) + "' is not " + what);
        }
        return n;
    }
}
