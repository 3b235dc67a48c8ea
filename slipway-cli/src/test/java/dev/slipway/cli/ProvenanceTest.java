package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProvenanceTest {
    @Test
    void of_promoteStepOutputs_namesStageRunShortCommitAndDigest() {
        Map<String, String> outputs = Map.of("image", "sha256:ab", "promotedFromStage", "staging", "promotedFromRun", "12",
                "promotedFromCommit", "abc1234def5678900000", "promotedDigest", "sha256:ab");

        assertThat(Provenance.of(outputs)).contains("promoted from staging run 12 (commit abc1234def56, sha256:ab)");
    }

    @Test
    void of_buildOutputs_isEmpty() {
        assertThat(Provenance.of(Map.of("image", "hello:abc", "digest", "sha256:ab"))).isEmpty();
    }
}
