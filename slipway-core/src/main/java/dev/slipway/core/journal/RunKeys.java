package dev.slipway.core.journal;

import java.security.SecureRandom;
import java.time.Clock;

/**
 * Makes run keys: 26 characters of lower-case Crockford base32, the first 10 the creation time in milliseconds, the
 * other 16 eighty random bits (the ULID layout). Unique across journals and machines without coordination, sortable by
 * creation time, and valid wherever Slipway puts them: container names, RDS snapshot identifiers, ECS startedBy, tags.
 */
public final class RunKeys {
    private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int LENGTH = 26;

    private RunKeys() {
    }

    public static String next() {
        return next(Clock.systemUTC().millis());
    }

    static String next(long epochMillis) {
        char[] out = new char[LENGTH];
        long time = epochMillis;
        for (int i = 9; i >= 0; i--) {
            out[i] = ALPHABET[(int) (time & 31)];
            time >>>= 5;
        }
        byte[] random = new byte[10];
        RANDOM.nextBytes(random);
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 5; i++) {
            hi = hi << 8 | (random[i] & 0xff);
            lo = lo << 8 | (random[i + 5] & 0xff);
        }
        for (int i = 17; i >= 10; i--) {
            out[i] = ALPHABET[(int) (hi & 31)];
            hi >>>= 5;
        }
        for (int i = 25; i >= 18; i--) {
            out[i] = ALPHABET[(int) (lo & 31)];
            lo >>>= 5;
        }
        return new String(out);
    }

    /** Whether {@code text} looks like a key this class makes. */
    public static boolean isKey(String text) {
        if (text == null || text.length() != LENGTH) {
            return false;
        }
        for (char c : text.toCharArray()) {
            if (new String(ALPHABET).indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }
}
