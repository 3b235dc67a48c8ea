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
