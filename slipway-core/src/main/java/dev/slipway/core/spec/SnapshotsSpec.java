package dev.slipway.core.spec;

import java.util.Set;

/**
 * Database snapshots taken before every deploy.
 *
 * @param keep             how many of Slipway's snapshots to keep per stage
 * @param restoreOnFailure restore the snapshot automatically when a run is rolled back (discards writes made since)
 */
public record SnapshotsSpec(int keep, boolean restoreOnFailure) {
    static final Set<String> KEYS = Set.of("keep", "restore-on-failure");
    public static final SnapshotsSpec DEFAULT = new SnapshotsSpec(5, false);

    static SnapshotsSpec read(Node n) {
        if (!n.mapping(KEYS)) {
            return DEFAULT;
        }
        return new SnapshotsSpec(n.integer("keep", 5, 1, 1000), n.bool("restore-on-failure", false));
    }
}
