package dev.slipway.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IgnoreRulesTest {
    @Test
    void excludes_starWithExceptions_keepsOnlyTheExceptions() {
        IgnoreRules rules = IgnoreRules.parse(List.of("# comment", "*", "!target/hello-server.jar", "!migrations/"));

        assertThat(rules.excludes("Containerfile")).isTrue();
        assertThat(rules.excludes("target/classes/A.class")).isTrue();
        assertThat(rules.excludes("target/hello-server.jar")).isFalse();
        assertThat(rules.excludes("migrations")).isFalse();
        assertThat(rules.excludes("migrations/V4__x.sql")).isFalse();
    }

    @Test
    void excludes_directoryPattern_excludesEverythingBelow() {
        IgnoreRules rules = IgnoreRules.parse(List.of("node_modules", "/build/"));

        assertThat(rules.excludes("node_modules/a/b.js")).isTrue();
        assertThat(rules.excludes("build/out.bin")).isTrue();
        assertThat(rules.excludes("src/build.gradle")).isFalse();
    }

    @Test
    void excludes_doubleStar_matchesAnyDepth() {
        IgnoreRules rules = IgnoreRules.parse(List.of("**/*.log", "docs/**"));

        assertThat(rules.excludes("a.log")).isTrue();
        assertThat(rules.excludes("x/y/z.log")).isTrue();
        assertThat(rules.excludes("docs/a/b.md")).isTrue();
        assertThat(rules.excludes("src/a.md")).isFalse();
    }

    @Test
    void excludes_lastMatchingLine_wins() {
        IgnoreRules rules = IgnoreRules.parse(List.of("*.md", "!README.md", "README.md"));

        assertThat(rules.excludes("README.md")).isTrue();
        assertThat(rules.excludes("CHANGES.md")).isTrue();
    }

    @Test
    void excludes_questionMarkAndClasses_matchOneCharacter() {
        IgnoreRules rules = IgnoreRules.parse(List.of("file?.txt", "v[0-9].sql"));

        assertThat(rules.excludes("file1.txt")).isTrue();
        assertThat(rules.excludes("file12.txt")).isFalse();
        assertThat(rules.excludes("v3.sql")).isTrue();
        assertThat(rules.excludes("vx.sql")).isFalse();
    }

    @Test
    void clean_dotsAndSlashes_areNormalized() {
        assertThat(IgnoreRules.clean("/a/./b/../c/")).isEqualTo("a/c");
    }
}
