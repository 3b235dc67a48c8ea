package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionTest {
    @Test
    void text_versionAndCommit_printsBoth() {
        assertThat(Version.text("0.1.0-SNAPSHOT", "7dab5ec4f1e2d3c4b5a6978877665544332211aa-dirty"))
                .isEqualTo("slipway 0.1.0-SNAPSHOT (commit 7dab5ec4f1e2d3c4b5a6978877665544332211aa-dirty)");
    }

    @Test
    void text_builtOutsideAGitCheckout_saysTheCommitIsUnknown() {
        assertThat(Version.text("0.1.0", "")).isEqualTo("slipway 0.1.0 (commit unknown)");
    }

    @Test
    void text_noManifest_isDev() {
        assertThat(Version.text(null, null)).isEqualTo("slipway dev");
    }

    @Test
    void getVersion_fromClasses_isDev() {
        assertThat(new Version().getVersion()).containsExactly("slipway dev");
    }
}
