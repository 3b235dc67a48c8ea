package dev.slipway.core.spec;

import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;

/** "did you mean" for unknown keys: the closest allowed key within a small edit distance. */
public final class Suggest {
    private Suggest() {
    }

    /**
     * The closest of {@code allowed} to {@code key}. Ties go to the candidate sharing the longest prefix with the key,
     * then to the first in alphabetical order, so the suggestion never depends on the order of a set.
     */
    static String didYouMean(String key, Collection<String> allowed) {
        String lower = key.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        int bestPrefix = -1;
        for (String candidate : new TreeSet<>(allowed)) {
            String c = candidate.toLowerCase(Locale.ROOT);
            int d = distance(lower, c);
            int prefix = commonPrefix(lower, c);
            if (d < bestDistance || d == bestDistance && prefix > bestPrefix) {
                best = candidate;
                bestDistance = d;
                bestPrefix = prefix;
            }
        }
        int limit = Math.max(2, key.length() / 3);
        if (best != null && bestDistance <= limit) {
            return "; did you mean '" + best + "'?";
        }
        return "; allowed keys: " + String.join(", ", new TreeSet<>(allowed));
    }

    private static int commonPrefix(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        return n;
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
