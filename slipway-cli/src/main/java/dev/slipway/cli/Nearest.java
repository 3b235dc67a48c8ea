package dev.slipway.cli;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The one known name a mistyped one most likely meant, for "did you mean" hints; the same answer on every run. */
final class Nearest {
    private Nearest() {
    }

    /**
     * The known name closest to {@code asked}: one it starts or that starts it (ignoring case), else the fewest edits
     * if that is at most a third of the name (at least 1, at most 3). Ties go to the earlier name, so the
     * answer is the same on every run.
     */
    static Optional<String> to(String asked, List<String> known) {
        if (asked == null || asked.isEmpty() || asked.length() > 200) {
            return Optional.empty();
        }
        String a = asked.toLowerCase(Locale.ROOT);
        Optional<String> prefix = known.stream().filter(k -> {
            String l = k.toLowerCase(Locale.ROOT);
            return l.startsWith(a) || a.startsWith(l);
        }).findFirst();
        if (prefix.isPresent()) {
            return prefix;
        }
        int allowed = Math.max(1, Math.min(3, a.length() / 3));
        return known.stream().filter(k -> distance(a, k.toLowerCase(Locale.ROOT)) <= allowed)
                .min(Comparator.comparingInt((String k) -> distance(a, k.toLowerCase(Locale.ROOT))));
    }

    private static int distance(String a, String b) {
        return dev.slipway.core.spec.Suggest.distance(a, b);
    }
}
