package dev.slipway.cli;

import java.util.Map;
import java.util.Optional;

/** Where a promoted release's image came from, as the promote step journaled it. */
final class Provenance {
    private Provenance() {
    }

    /** "promoted from staging run 12 (commit abc1234def56, sha256:…)", when {@code outputs} are a promote step's. */
    static Optional<String> of(Map<String, String> outputs) {
        String stage = outputs.get("promotedFromStage");
        if (stage == null) {
            return Optional.empty();
        }
        String commit = outputs.getOrDefault("promotedFromCommit", "?");
        return Optional.of("promoted from " + stage + " run " + outputs.getOrDefault("promotedFromRun", "?") + " (commit "
                + commit.substring(0, Math.min(12, commit.length())) + ", " + outputs.getOrDefault("promotedDigest", "?") + ")");
    }
}
